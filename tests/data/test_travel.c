/*
 * Tests of the travel model (data/hw_travel.h): great-circle distances between
 * real North Lanarkshire town centres, the drive and walk formulas, and the matrix.
 * Reference distances were computed independently (haversine, R = 6,371,009 m).
 */
#include "hw_test.h"

#include "hw_error.h"
#include "hw_travel.h"

static const hw_geo airdrie = {55866300, -3980600};
static const hw_geo wishaw = {55773900, -3918900};
static const hw_geo coatbridge = {55862200, -4026600};
static const hw_geo cumbernauld = {55945700, -3992500};

HW_TEST(airdrie_to_wishaw_is_about_eleven_km) {
  /* 10,974 m between the two town centres (the brief's "~10.5 km" is road-sign
   * folklore; the coordinates give 10.97 km). */
  HW_CHECK_INT(hw_distance_m(airdrie, wishaw), >=, 10954);
  HW_CHECK_INT(hw_distance_m(airdrie, wishaw), <=, 10994);
  HW_CHECK_INT(hw_distance_m(airdrie, coatbridge), >=, 2896);
  HW_CHECK_INT(hw_distance_m(airdrie, coatbridge), <=, 2916);
  HW_CHECK_INT(hw_distance_m(airdrie, cumbernauld), >=, 8850);
  HW_CHECK_INT(hw_distance_m(airdrie, cumbernauld), <=, 8870);
}

HW_TEST(distance_is_symmetric_and_zero_at_same_point) {
  HW_CHECK_INT(hw_distance_m(airdrie, wishaw), ==, hw_distance_m(wishaw, airdrie));
  HW_CHECK_INT(hw_distance_m(airdrie, airdrie), ==, 0);
}

HW_TEST(drive_time_follows_road_factor_speed_and_parking) {
  int32_t d = hw_distance_m(airdrie, wishaw);
  /* road metres = d x 1.3; at 30 km/h that is d x 1.3 x 0.12 seconds, plus 90 s. */
  int32_t expect = (int32_t)(d * 1.3 * 3600.0 / 30000.0 + 0.5) + HW_TRAVEL_PARK_SECONDS;
  int32_t got = hw_travel_seconds(airdrie, wishaw, HW_TRAVEL_DRIVE);
  HW_CHECK_INT(got, >=, expect - 1);
  HW_CHECK_INT(got, <=, expect + 1);
  /* About half an hour across the partnership's two biggest towns. */
  HW_CHECK_INT(got, >=, 28 * 60);
  HW_CHECK_INT(got, <=, 31 * 60);
}

HW_TEST(walking_is_slower_and_has_no_parking) {
  int32_t d = hw_distance_m(airdrie, coatbridge);
  int32_t walk = hw_travel_seconds(airdrie, coatbridge, HW_TRAVEL_WALK);
  int32_t expect = (int32_t)(d * 1.3 * 3600.0 / 4800.0 + 0.5);
  HW_CHECK_INT(walk, >=, expect - 1);
  HW_CHECK_INT(walk, <=, expect + 1);
  HW_CHECK_INT(walk, >, hw_travel_seconds(airdrie, coatbridge, HW_TRAVEL_DRIVE));
}

HW_TEST(same_place_takes_no_time) {
  HW_CHECK_INT(hw_travel_seconds(wishaw, wishaw, HW_TRAVEL_DRIVE), ==, 0);
  HW_CHECK_INT(hw_travel_seconds(wishaw, wishaw, HW_TRAVEL_WALK), ==, 0);
}

HW_TEST(bad_mode_is_rejected) {
  HW_CHECK_INT(hw_travel_seconds(airdrie, wishaw, HW_TRAVEL_MODE_COUNT), ==, HW_EINVAL);
  int32_t *m = (int32_t *)&m;
  HW_CHECK_INT(hw_travel_matrix(&airdrie, 1, (hw_travel_mode)7, &m), ==, HW_EINVAL);
  HW_CHECK(m == NULL);
  HW_CHECK_INT(hw_travel_matrix(&airdrie, -1, HW_TRAVEL_DRIVE, &m), ==, HW_EINVAL);
  HW_CHECK_INT(hw_travel_matrix(NULL, 2, HW_TRAVEL_DRIVE, &m), ==, HW_EINVAL);
}

HW_TEST(matrix_matches_pairwise_times) {
  hw_geo pts[4] = {airdrie, wishaw, coatbridge, cumbernauld};
  int32_t *m = NULL;
  HW_CHECK_INT(hw_travel_matrix(pts, 4, HW_TRAVEL_DRIVE, &m), ==, 0);
  HW_CHECK(m != NULL);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      int32_t expect = i == j ? 0 : hw_travel_seconds(pts[i], pts[j], HW_TRAVEL_DRIVE);
      HW_CHECK_INT(m[i * 4 + j], ==, expect);
      HW_CHECK_INT(m[i * 4 + j], ==, m[j * 4 + i]);
    }
  free(m);
  HW_CHECK_INT(hw_travel_matrix(pts, 0, HW_TRAVEL_WALK, &m), ==, 0);
  HW_CHECK(m == NULL);
}

HW_TEST(both_matrices_at_once_match_pairwise_times) {
  /* The same address twice (two visits in one house) is 0 apart in both modes. */
  hw_geo pts[5] = {airdrie, wishaw, coatbridge, cumbernauld, wishaw};
  int32_t drive[25], walk[25];
  HW_CHECK_INT(hw_travel_matrices(pts, 5, drive, walk), ==, 0);
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) {
      HW_CHECK_INT(drive[i * 5 + j], ==, i == j ? 0 : hw_travel_seconds(pts[i], pts[j], HW_TRAVEL_DRIVE));
      HW_CHECK_INT(walk[i * 5 + j], ==, i == j ? 0 : hw_travel_seconds(pts[i], pts[j], HW_TRAVEL_WALK));
    }
  HW_CHECK_INT(drive[1 * 5 + 4], ==, 0);
  HW_CHECK(walk[0 * 5 + 1] > drive[0 * 5 + 1]);
  HW_CHECK_INT(hw_travel_matrices(pts, 2, drive, NULL), ==, HW_EINVAL);
  HW_CHECK_INT(hw_travel_matrices(pts, -1, drive, walk), ==, HW_EINVAL);
}
