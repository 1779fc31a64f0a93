/*
 * Benchmark and planning instances in and out of the solver's model.
 *
 * Readers turn a file in one of the supported formats into an hw_problem:
 *   solomon    Solomon / Gehring & Homberger VRPTW text (CRLF or LF)
 *   mankowska  the Mankowska et al. (2014) home health care text (Kummer's version)
 *   vroom      a subset of VROOM's JSON input
 *   homeward   Homeward's JSON: the VROOM subset plus double-handed jobs, links,
 *              soft windows, pins and excluded / preferred resources
 * (docs/solver.md describes each mapping). Every reader validates the result with
 * hw_problem_validate, so what it returns can be solved. A reader that fails leaves
 * *out freed (as after hw_problem_init) and writes the reason into err, naming the
 * line ("line 12: ...") of a text file or the field ("/jobs/3/service: ...") of a
 * JSON document.
 *
 * The solution document (the `homeward solve` output) is VROOM-shaped:
 *   {"code":0,"summary":{"cost":..,"distance":..,"duration":..,"lateness":..,
 *    "routes":..,"unassigned":..,"computing_times":{"solving":MS}},
 *    "routes":[{"vehicle":ID,"distance":..,"steps":[{"type":"start"|"job"|"break"|"end",
 *               "id":ID,"arrival":T,"service_start":T}]}],
 *    "unassigned":[{"id":ID,"reason":"..."}]}
 * with times in instance units (ticks / time_scale) and distances recomputed in
 * double precision from coordinates where the instance has them.
 */
#ifndef HW_INSTANCE_H
#define HW_INSTANCE_H

#include <jansson.h>
#include <stddef.h>

#include "hw_check.h"
#include "hw_problem.h"

typedef enum hw_instance_format {
  HW_FORMAT_AUTO = 0,
  HW_FORMAT_SOLOMON,
  HW_FORMAT_MANKOWSKA,
  HW_FORMAT_VROOM,
  HW_FORMAT_HOMEWARD
} hw_instance_format;

/* "auto", "solomon", "mankowska", "vroom", "homeward". */
const char *hw_instance_format_name(hw_instance_format f);
/* The format named s. Returns 0, or HW_EINVAL for an unknown name. */
int hw_instance_format_parse(const char *s, hw_instance_format *out);
/* Guess the format from the content: JSON with a top-level "links", "soft_windows"
 * or a job with "workers" / "pin" / "excluded" / "preferred" is homeward, other
 * JSON is vroom; text starting with "nbNodes" is mankowska; text whose first lines
 * hold a name then "VEHICLE" is solomon. Returns HW_FORMAT_AUTO when none fits. */
hw_instance_format hw_instance_detect(const char *buf, size_t len);

/* Read the instance file at path in the given format (HW_FORMAT_AUTO detects it).
 * The problem's name is the file's base name without extension. Returns 0, HW_EIO
 * if the file cannot be read, HW_EINVAL (bad or unrecognised content),
 * HW_EUNSUPPORTED (a feature the model lacks, "not supported: <what>"), HW_ENOMEM;
 * on failure out is left freed and err holds the reason. */
int hw_instance_read(const char *path, hw_instance_format format, hw_problem *out, char *err,
                     size_t err_len);
/* The same from memory (len bytes, need not be NUL-terminated); used by the fuzz
 * targets. out must be initialised; its old content is freed. */
int hw_instance_read_buffer(const char *buf, size_t len, hw_instance_format format, hw_problem *out,
                            char *err, size_t err_len);

/* The format readers behind hw_instance_read_buffer. buf is NUL-terminated text of
 * len bytes. Same contract as hw_instance_read_buffer. */
int hw_instance_read_solomon(const char *buf, size_t len, hw_problem *out, char *err, size_t err_len);
int hw_instance_read_mankowska(const char *buf, size_t len, hw_problem *out, char *err, size_t err_len);
/* homeward = 0: strict VROOM subset (Homeward fields are "not supported");
 * homeward = 1: Homeward's JSON. */
int hw_instance_read_json(const char *buf, size_t len, int homeward, hw_problem *out, char *err,
                          size_t err_len);

/* Mankowska job ids: node * 10 + service number (services 1..6), so patient node 10's
 * service s3 is job 103. Caregiver k (0-based row) is resource k + 1. */
#define HW_MANKOWSKA_JOB_ID(node, service_col) ((int64_t)(node) * 10 + (service_col) + 1)

/* ---- The solution document ------------------------------------------------ */

/* Build the solution document for s (new reference; NULL on out of memory or if s
 * refers to indices outside p). report, when given, supplies the summary's cost,
 * distance and lateness as hw_check recomputed them; without it hw_check is run
 * here. Route distances come from coordinates in double precision when p has them,
 * else from costs / time_scale. */
json_t *hw_solution_to_json(const hw_problem *p, const hw_solution *s, const hw_check_report *report);
/* Write the document to path ("-" = stdout), indented. Returns 0, HW_EIO, HW_ENOMEM. */
int hw_solution_write(const char *path, const hw_problem *p, const hw_solution *s,
                      const hw_check_report *report);
/* Read a solution document back into out (initialised; old content freed), mapping
 * vehicle and job ids to indices of p and instance-unit times to ticks. Steps whose
 * id p does not know, unknown types or missing fields are errors naming the field
 * ("/routes/2/steps/5/id: no job with id 17"). Returns 0, HW_EINVAL, HW_ENOMEM. */
int hw_solution_from_json(const hw_problem *p, const json_t *doc, hw_solution *out, char *err, size_t err_len);
/* The same from a file. Returns 0, HW_EIO, HW_EINVAL, HW_ENOMEM. */
int hw_solution_read(const char *path, const hw_problem *p, hw_solution *out, char *err, size_t err_len);

#endif
