/*
 * The project's one table of error codes.
 *
 * Every Homeward function that can fail returns 0 or a negative hw error code from
 * this table. The table lives in the solver because the solver is the bottom layer
 * that every other part links; it names no client, store or network concept beyond
 * a generic kind of failure, so that each layer can use it. Codes say whose fault a
 * failure is (input, conflict, internal, I/O), which is what the daemon needs to
 * pick an HTTP status.
 */
#ifndef HW_ERROR_H
#define HW_ERROR_H

/* X(name, value, http_status, message) */
#define HW_ERRNO_MAP(X)                                                       \
  X(INVAL, -1, 400, "invalid input")                                          \
  X(NOMEM, -2, 500, "out of memory")                                          \
  X(NOTFOUND, -3, 404, "not found")                                           \
  X(CONFLICT, -4, 409, "conflicts with the current state")                    \
  X(IO, -5, 500, "input/output error")                                        \
  X(INFEASIBLE, -6, 422, "no feasible solution")                              \
  X(CANCELED, -7, 409, "operation canceled")                                  \
  X(TIMEOUT, -8, 503, "time limit reached")                                   \
  X(UNAUTHORIZED, -9, 401, "missing or bad credentials")                      \
  X(FORBIDDEN, -10, 403, "not allowed for this role or locality")             \
  X(UNSUPPORTED, -11, 400, "not supported")                                   \
  X(INTERNAL, -12, 500, "internal error")                                     \
  X(TOOLARGE, -13, 413, "too large")                                          \
  X(BUSY, -14, 503, "busy, try again")                                        \
  X(SOLVER, -15, 500, "solver back-end error")                                \
  X(UNPROCESSABLE, -16, 422, "cannot be processed as sent")

typedef enum hw_errno {
  HW_OK = 0,
#define HW_ERRNO_ENUM(name, value, status, msg) HW_E##name = value,
  HW_ERRNO_MAP(HW_ERRNO_ENUM)
#undef HW_ERRNO_ENUM
} hw_errno;

/* A message for code (never NULL; "unknown error" for codes not in the table). */
const char *hw_strerror(int code);
/* The code's name without prefix ("INVAL"), or "UNKNOWN". */
const char *hw_err_name(int code);
/* The HTTP status that matches the code (500 for unknown codes, 200 for HW_OK). */
int hw_err_http_status(int code);

#endif
