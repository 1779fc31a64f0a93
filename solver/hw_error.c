/*
 * Messages, names and HTTP statuses for the error codes, all built from the one
 * X-macro table in hw_error.h so that they cannot drift apart.
 */
#include "hw_error.h"

const char *hw_strerror(int code) {
  switch (code) {
    case HW_OK: return "success";
#define HW_ERRNO_MSG(name, value, status, msg) case HW_E##name: return msg;
    HW_ERRNO_MAP(HW_ERRNO_MSG)
#undef HW_ERRNO_MSG
  }
  return "unknown error";
}

const char *hw_err_name(int code) {
  switch (code) {
    case HW_OK: return "OK";
#define HW_ERRNO_NAME(name, value, status, msg) case HW_E##name: return #name;
    HW_ERRNO_MAP(HW_ERRNO_NAME)
#undef HW_ERRNO_NAME
  }
  return "UNKNOWN";
}

int hw_err_http_status(int code) {
  switch (code) {
    case HW_OK: return 200;
#define HW_ERRNO_STATUS(name, value, status, msg) case HW_E##name: return status;
    HW_ERRNO_MAP(HW_ERRNO_STATUS)
#undef HW_ERRNO_STATUS
  }
  return 500;
}
