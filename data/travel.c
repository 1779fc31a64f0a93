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

static double great_circle_m(hw_geo a, hw_geo b) {
  double lat1 = radians_e6(a.lat_e6), lat2 = radians_e6(b.lat_e6);
  double dlat = lat2 - lat1, dlon = radians_e6(b.lon_e6) - radians_e6(a.lon_e6);
  double h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1) * cos(lat2) * sin(dlon / 2) * sin(dlon / 2);
  if (h > 1.0) h = 1.0; /* rounding can push antipodal points just past 1 */
  return 2.0 * HW_EARTH_RADIUS_M * asin(sqrt(h));
}

int32_t hw_distance_m(hw_geo a, hw_geo b) { return (int32_t)lround(great_circle_m(a, b)); }

int32_t hw_travel_seconds(hw_geo a, hw_geo b, hw_travel_mode m) {
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (a.lat_e6 == b.lat_e6 && a.lon_e6 == b.lon_e6) return 0;
  double road_m = great_circle_m(a, b) * HW_TRAVEL_ROAD_FACTOR_PERMILLE / 1000.0;
  if (m == HW_TRAVEL_WALK) return (int32_t)lround(road_m * 3600.0 / HW_TRAVEL_WALK_M_PER_H);
  return (int32_t)lround(road_m * 3600.0 / (HW_TRAVEL_DRIVE_KMH * 1000.0)) + HW_TRAVEL_PARK_SECONDS;
}

int hw_travel_matrix(const hw_geo *points, int32_t n, hw_travel_mode m, int32_t **out) {
  *out = NULL;
  if (n < 0 || n > 46340 || (n > 0 && !points)) return HW_EINVAL;
  if ((int)m < 0 || m >= HW_TRAVEL_MODE_COUNT) return HW_EINVAL;
  if (n == 0) return 0;
  int32_t *mat = malloc((size_t)n * (size_t)n * sizeof *mat);
  if (!mat) return HW_ENOMEM;
  /* The model is symmetric: compute the upper triangle and mirror it. */
  for (int32_t i = 0; i < n; i++) {
    mat[(size_t)i * n + i] = 0;
    for (int32_t j = i + 1; j < n; j++) {
      int32_t s = hw_travel_seconds(points[i], points[j], m);
      mat[(size_t)i * n + j] = s;
      mat[(size_t)j * n + i] = s;
    }
  }
  *out = mat;
  return 0;
}
