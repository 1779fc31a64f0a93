/*
 * The travel model of hw_travel.h: haversine distance, a road factor and a speed
 * per mode, computed in double precision and rounded once to integer seconds so
 * that every caller (generator, scheduler, simulation) sees the same integers.
 */
#include "hw_travel.h"

#include <math.h>
#include <stdlib.h>

#include "hw_error.h"

static double radians_e6(int32_t microdegrees) { return (double)microdegrees * 1e-6 * M_PI / 180.0; }

/* A point in radians with the cosine of its latitude, computed once. */
typedef struct point_rad {
  double lat, lon, cos_lat;
} point_rad;

static point_rad point_rad_of(hw_geo g) {
  point_rad p = {radians_e6(g.lat_e6), radians_e6(g.lon_e6), 0};
  p.cos_lat = cos(p.lat);
  return p;
}

/* Haversine distance. The terms are formed in the same order for any pair, and
 * sin(-x) = -sin(x), so the result is the same both ways and bit for bit the
 * same as from the points. */
static double great_circle_rad(const point_rad *a, const point_rad *b) {
  double dlat = b->lat - a->lat, dlon = b->lon - a->lon;
  double s_lat = sin(dlat / 2), s_lon = sin(dlon / 2);
  double h = s_lat * s_lat + a->cos_lat * b->cos_lat * s_lon * s_lon;
  if (h > 1.0) h = 1.0; /* rounding can push antipodal points just past 1 */
  return 2.0 * HW_EARTH_RADIUS_M * asin(sqrt(h));
}

static double great_circle_m(hw_geo a, hw_geo b) {
  point_rad pa = point_rad_of(a), pb = point_rad_of(b);
  return great_circle_rad(&pa, &pb);
}

int32_t hw_distance_m(hw_geo a, hw_geo b) { return (int32_t)lround(great_circle_m(a, b)); }

static int same_place(hw_geo a, hw_geo b) { return a.lat_e6 == b.lat_e6 && a.lon_e6 == b.lon_e6; }

/* Seconds by mode m over a great-circle distance (m checked by the caller). */
static int32_t seconds_over(double great_circle, hw_travel_mode m) {
  double road_m = great_circle * HW_TRAVEL_ROAD_FACTOR_PERMILLE / 1000.0;
  if (m == HW_TRAVEL_WALK) return (int32_t)lround(road_m * 3600.0 / HW_TRAVEL_WALK_M_PER_H);
  return (int32_t)lround(road_m * 3600.0 / (HW_TRAVEL_DRIVE_KMH * 1000.0)) + HW_TRAVEL_PARK_SECONDS;
}

int32_t hw_travel_seconds(hw_geo a, hw_geo b, hw_travel_mode m) {
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (same_place(a, b)) return 0;
  return seconds_over(great_circle_m(a, b), m);
}

/* ---- The matrix ------------------------------------------------------------------ */

typedef struct point_at {
  hw_geo g;
  int32_t i;
} point_at;

static int by_place(const void *x, const void *y) {
  const point_at *a = x, *b = y;
  if (a->g.lat_e6 != b->g.lat_e6) return a->g.lat_e6 < b->g.lat_e6 ? -1 : 1;
  if (a->g.lon_e6 != b->g.lon_e6) return a->g.lon_e6 < b->g.lon_e6 ? -1 : 1;
  return (a->i > b->i) - (a->i < b->i);
}

/* The distinct places among points[0..n): place_of[i] is point i's place, *rad
 * each place in radians; returns how many places, or HW_ENOMEM. A day's visits
 * repeat their clients' homes and its shifts their workers' bases, so there are
 * far fewer places than points. */
static int32_t distinct_places(const hw_geo *points, int32_t n, int32_t *place_of, point_rad **rad) {
  point_at *s = malloc((size_t)n * sizeof *s);
  *rad = malloc((size_t)n * sizeof **rad);
  if (!s || !*rad) {
    free(s);
    free(*rad);
    *rad = NULL;
    return HW_ENOMEM;
  }
  for (int32_t i = 0; i < n; i++) s[i] = (point_at){points[i], i};
  qsort(s, (size_t)n, sizeof *s, by_place);
  int32_t k = 0;
  for (int32_t i = 0; i < n; i++) {
    if (i == 0 || !same_place(s[i - 1].g, s[i].g)) (*rad)[k++] = point_rad_of(s[i].g);
    place_of[s[i].i] = k - 1;
  }
  free(s);
  return k;
}

int hw_travel_matrix(const hw_geo *points, int32_t n, hw_travel_mode m, int32_t **out) {
  *out = NULL;
  if (n < 0 || n > 46340 || (n > 0 && !points)) return HW_EINVAL;
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (n == 0) return 0;
  int32_t *mat = malloc((size_t)n * (size_t)n * sizeof *mat), *place_of = malloc((size_t)n * sizeof *place_of);
  point_rad *rad = NULL;
  int32_t k = mat && place_of ? distinct_places(points, n, place_of, &rad) : HW_ENOMEM;
  int32_t *between = k > 0 ? malloc((size_t)k * (size_t)k * sizeof *between) : NULL;
  if (k < 0 || !between) {
    free(mat);
    free(place_of);
    free(rad);
    return HW_ENOMEM;
  }
  /* Each pair of places once (the model is symmetric), then every pair of points. */
  for (int32_t a = 0; a < k; a++) {
    between[(size_t)a * k + a] = 0;
    for (int32_t b = a + 1; b < k; b++)
      between[(size_t)a * k + b] = between[(size_t)b * k + a] = seconds_over(great_circle_rad(&rad[a], &rad[b]), m);
  }
  for (int32_t i = 0; i < n; i++)
    for (int32_t j = 0; j < n; j++) mat[(size_t)i * n + j] = between[(size_t)place_of[i] * k + place_of[j]];
  free(between);
  free(place_of);
  free(rad);
  *out = mat;
  return 0;
}
