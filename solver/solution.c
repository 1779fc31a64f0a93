/*
 * Life cycle of hw_solution (hw_problem.h): the routes and unassigned jobs the
 * solver returns. A solution owns its arrays; copies are deep so a caller can keep
 * the best solution while the search goes on changing its own.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_problem.h"

void hw_solution_init(hw_solution *s) { memset(s, 0, sizeof *s); }

void hw_solution_free(hw_solution *s) {
  for (int32_t r = 0; r < s->n_routes; r++) free(s->routes[r].steps);
  free(s->routes);
  free(s->unassigned);
  hw_solution_init(s);
}

int hw_solution_copy(hw_solution *dst, const hw_solution *src) {
  if (dst == src) return 0;
  hw_solution tmp;
  hw_solution_init(&tmp);
  tmp.cost = src->cost;
  tmp.iterations = src->iterations;
  tmp.solve_ms = src->solve_ms;
  tmp.proven_optimal = src->proven_optimal;
  if (src->n_routes > 0) {
    tmp.routes = calloc((size_t)src->n_routes, sizeof(hw_route));
    if (!tmp.routes) return HW_ENOMEM;
    tmp.n_routes = src->n_routes;
    for (int32_t r = 0; r < src->n_routes; r++) {
      const hw_route *from = &src->routes[r];
      tmp.routes[r].resource = from->resource;
      if (from->n_steps > 0) {
        tmp.routes[r].steps = malloc((size_t)from->n_steps * sizeof(hw_step));
        if (!tmp.routes[r].steps) {
          hw_solution_free(&tmp);
          return HW_ENOMEM;
        }
        memcpy(tmp.routes[r].steps, from->steps, (size_t)from->n_steps * sizeof(hw_step));
        tmp.routes[r].n_steps = from->n_steps;
      }
    }
  }
  if (src->n_unassigned > 0) {
    tmp.unassigned = malloc((size_t)src->n_unassigned * sizeof(hw_unassigned));
    if (!tmp.unassigned) {
      hw_solution_free(&tmp);
      return HW_ENOMEM;
    }
    memcpy(tmp.unassigned, src->unassigned, (size_t)src->n_unassigned * sizeof(hw_unassigned));
    tmp.n_unassigned = src->n_unassigned;
  }
  hw_solution_free(dst);
  *dst = tmp;
  return 0;
}

const char *hw_unassigned_reason_str(hw_unassigned_reason r) {
  switch (r) {
    case HW_UNASSIGNED_NO_CAPACITY: return "no_capacity";
    case HW_UNASSIGNED_NO_SKILL: return "no_skill";
    case HW_UNASSIGNED_NO_WINDOW: return "no_window";
    case HW_UNASSIGNED_NO_PARTNER: return "no_partner";
    case HW_UNASSIGNED_PIN_INFEASIBLE: return "pin_infeasible";
    case HW_UNASSIGNED_EXCLUDED: return "excluded";
  }
  return "unknown";
}
