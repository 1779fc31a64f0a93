/*
 * The body shared by the instance-reader fuzz targets (fuzz_solomon.c,
 * fuzz_mankowska.c, fuzz_vroom.c): read arbitrary bytes as one format with
 * hw_instance_read_buffer. Whatever the reader accepts must be a valid problem,
 * so an empty solution (every job unassigned) is then run through the checker.
 * Header-only because each target is a program of its own.
 */
#ifndef HW_FUZZ_READER_H
#define HW_FUZZ_READER_H

#include <stdint.h>
#include <stdlib.h>

#include "hw_check.h"
#include "hw_instance.h"

static inline int hw_fuzz_read_instance(const uint8_t *data, size_t size, hw_instance_format format) {
  hw_problem p;
  hw_problem_init(&p);
  char err[256];
  if (hw_instance_read_buffer((const char *)data, size, format, &p, err, sizeof err) == 0) {
    hw_solution s;
    hw_solution_init(&s);
    s.unassigned = calloc(p.n_jobs > 0 ? (size_t)p.n_jobs : 1, sizeof *s.unassigned);
    for (int32_t j = 0; s.unassigned && j < p.n_jobs; j++) s.unassigned[s.n_unassigned++] = (hw_unassigned){j, 0};
    hw_check_report r;
    hw_check(&p, &s, &r);
    hw_solution_free(&s);
  }
  hw_problem_free(&p);
  return 0;
}

#endif
