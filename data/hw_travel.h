/*
 * The travel model: how long a care worker takes to get from one address to
 * another, by car or on foot, in integer seconds.
 *
 * There is no road network here. The model is the great-circle (haversine)
 * distance, stretched by a road factor because streets do not run straight, and
 * divided by an average door-to-door speed for the mode; a driver also pays a
 * fixed allowance to park and walk to the door. The constants below are the whole
 * model (docs/generator.md explains the choice of each):
 *
 *   road metres   = great-circle metres x HW_TRAVEL_ROAD_FACTOR_PERMILLE / 1000
 *   drive seconds = road metres / (HW_TRAVEL_DRIVE_KMH km/h) + HW_TRAVEL_PARK_SECONDS
 *   walk seconds  = road metres / (HW_TRAVEL_WALK_M_PER_H m/h)
 *
 * Two points at the same place are 0 seconds apart in either mode (a second visit
 * in the same house, or a worker starting at the client's door).
 */
#ifndef HW_TRAVEL_H
#define HW_TRAVEL_H

#include <stdint.h>

#include "hw_domain.h"

#define HW_TRAVEL_ROAD_FACTOR_PERMILLE 1300 /* road distance / straight-line distance */
#define HW_TRAVEL_DRIVE_KMH 30              /* urban average including junctions */
#define HW_TRAVEL_PARK_SECONDS 90           /* find a space, walk to the door */
#define HW_TRAVEL_WALK_M_PER_H 4800         /* 4.8 km/h */
#define HW_EARTH_RADIUS_M 6371009.0         /* mean Earth radius (IUGG) */

/* Great-circle distance between a and b in metres (haversine on a sphere of
 * HW_EARTH_RADIUS_M), rounded to the nearest metre. Never fails. */
int32_t hw_distance_m(hw_geo a, hw_geo b);

/* Travel time from a to b in seconds by mode m, by the model above (symmetric;
 * 0 when a and b are the same point). Returns HW_EINVAL (negative) only for a
 * mode outside hw_travel_mode. */
int32_t hw_travel_seconds(hw_geo a, hw_geo b, hw_travel_mode m);

/* Build the n x n travel-time matrix of points[0..n) for mode m: *out is a
 * malloc'd array of n*n seconds, row-major ([from * n + to]), with a zero
 * diagonal; the caller frees it. Returns 0, HW_EINVAL (n < 0, n > 46340 so that
 * n*n overflows, points NULL with n > 0, bad mode) or HW_ENOMEM; *out is NULL on
 * failure and for n == 0. */
int hw_travel_matrix(const hw_geo *points, int32_t n, hw_travel_mode m, int32_t **out);

/* Both modes at once into the caller's n*n arrays (row-major, zero diagonal), each
 * pair's distance computed once: what a day's problem needs. The same integers as
 * hw_travel_seconds. Returns 0, HW_EINVAL (as above, or drive or walk NULL) or
 * HW_ENOMEM. */
int hw_travel_matrices(const hw_geo *points, int32_t n, int32_t *drive, int32_t *walk);

#endif
