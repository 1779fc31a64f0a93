/*
 * The travel model of hw_travel.h: haversine distance, a road factor and a speed
 * per mode, computed in double precision and rounded once to integer seconds so
 * that every caller (generator, scheduler, simulation) sees the same integers.
 */
#include "hw_travel.h"

#include <math.h>
#include <stdlib.h>

#include "hw_error.h"

/* A point in radians with its latitude's cosine: a matrix computes these once per
 * point instead of once per pair, with the very same operations, so the integers
 * are the same as hw_travel_seconds gives. */
typedef struct trig_point {
  double lat, lon, cos_lat;
} trig_point;

static double radians_e6(int32_t microdegrees) { return (double)microdegrees * 1e-6 * M_PI / 180.0; }

static trig_point trig_of(hw_geo g) {
  double lat = radians_e6(g.lat_e6);
  return (trig_point){lat, radians_e6(g.lon_e6), cos(lat)};
}

static double great_circle_trig(const trig_point *a, const trig_point *b) {
  double half_dlat = sin((b->lat - a->lat) / 2), half_dlon = sin((b->lon - a->lon) / 2);
  double h = half_dlat * half_dlat + a->cos_lat * b->cos_lat * half_dlon * half_dlon;
  if (h > 1.0) h = 1.0; /* rounding can push antipodal points just past 1 */
  return 2.0 * HW_EARTH_RADIUS_M * asin(sqrt(h));
}

static double great_circle_m(hw_geo a, hw_geo b) {
  trig_point ta = trig_of(a), tb = trig_of(b);
  return great_circle_trig(&ta, &tb);
}

int32_t hw_distance_m(hw_geo a, hw_geo b) { return (int32_t)lround(great_circle_m(a, b)); }

static int32_t walk_seconds(double great_circle) {
  double road_m = great_circle * HW_TRAVEL_ROAD_FACTOR_PERMILLE / 1000.0;
  return (int32_t)lround(road_m * 3600.0 / HW_TRAVEL_WALK_M_PER_H);
}

static int32_t drive_seconds(double great_circle) {
  double road_m = great_circle * HW_TRAVEL_ROAD_FACTOR_PERMILLE / 1000.0;
  return (int32_t)lround(road_m * 3600.0 / (HW_TRAVEL_DRIVE_KMH * 1000.0)) + HW_TRAVEL_PARK_SECONDS;
}

static int same_point(hw_geo a, hw_geo b) { return a.lat_e6 == b.lat_e6 && a.lon_e6 == b.lon_e6; }

int32_t hw_travel_seconds(hw_geo a, hw_geo b, hw_travel_mode m) {
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (same_point(a, b)) return 0;
  double d = great_circle_m(a, b);
  return m == HW_TRAVEL_WALK ? walk_seconds(d) : drive_seconds(d);
}

/* The matrices of the modes asked for (NULL: not wanted). The model is
 * symmetric: the upper triangle is computed and mirrored. */
static int fill_matrices(const hw_geo *points, int32_t n, int32_t *drive, int32_t *walk) {
  trig_point *t = malloc(((size_t)n + 1) * sizeof *t);
  if (!t) return HW_ENOMEM;
  for (int32_t i = 0; i < n; i++) t[i] = trig_of(points[i]);
  for (int32_t i = 0; i < n; i++) {
    size_t ii = (size_t)i * (size_t)n + (size_t)i;
    if (drive) drive[ii] = 0;
    if (walk) walk[ii] = 0;
    for (int32_t j = i + 1; j < n; j++) {
      size_t ij = (size_t)i * (size_t)n + (size_t)j, ji = (size_t)j * (size_t)n + (size_t)i;
      int same = same_point(points[i], points[j]);
      double d = same ? 0 : great_circle_trig(&t[i], &t[j]);
      if (drive) drive[ij] = drive[ji] = same ? 0 : drive_seconds(d);
      if (walk) walk[ij] = walk[ji] = same ? 0 : walk_seconds(d);
    }
  }
  free(t);
  return 0;
}

static int matrix_args_ok(const hw_geo *points, int32_t n) {
  return n >= 0 && n <= 46340 && (n == 0 || points);
}

int hw_travel_matrix(const hw_geo *points, int32_t n, hw_travel_mode m, int32_t **out) {
  *out = NULL;
  if (!matrix_args_ok(points, n)) return HW_EINVAL;
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (n == 0) return 0;
  int32_t *mat = malloc((size_t)n * (size_t)n * sizeof *mat);
  if (!mat) return HW_ENOMEM;
  int rc = fill_matrices(points, n, m == HW_TRAVEL_DRIVE ? mat : NULL, m == HW_TRAVEL_WALK ? mat : NULL);
  if (rc) {
    free(mat);
    return rc;
  }
  *out = mat;
  return 0;
}

int hw_travel_matrices(const hw_geo *points, int32_t n, int32_t *drive, int32_t *walk) {
  if (!matrix_args_ok(points, n) || (n > 0 && (!drive || !walk))) return HW_EINVAL;
  return n ? fill_matrices(points, n, drive, walk) : 0;
}
