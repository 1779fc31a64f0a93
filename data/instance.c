/*
 * Instance files: format names, format detection, and reading a file or a buffer
 * through the right reader (hw_instance.h). The readers themselves live in
 * instance_solomon.c, instance_mankowska.c and instance_json.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_instance.h"

#define HW_INSTANCE_MAX_BYTES (256L * 1024 * 1024)

static const char *const format_names[] = {"auto", "solomon", "mankowska", "vroom", "homeward"};

const char *hw_instance_format_name(hw_instance_format f) {
  if ((int)f < 0 || (size_t)f >= sizeof format_names / sizeof format_names[0]) return "unknown";
  return format_names[f];
}

int hw_instance_format_parse(const char *s, hw_instance_format *out) {
  for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
    if (s && strcmp(s, format_names[i]) == 0) {
      *out = (hw_instance_format)i;
      return 0;
    }
  return HW_EINVAL;
}

/* True when the JSON text mentions a key only Homeward's format has. A textual test
 * is enough here: the JSON reader then rejects anything it does not understand. */
static int has_homeward_key(const char *buf) {
  static const char *const keys[] = {"\"links\"", "\"soft_windows\"", "\"workers\"", "\"pin\"",
                                     "\"excluded\"", "\"preferred\"", "\"lateness_weight\""};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strstr(buf, keys[i])) return 1;
  return 0;
}

/* The first non-blank line after skipping `skip` non-blank lines, as [*b, *e). */
static int nth_line(const char *buf, int skip, const char **b, const char **e) {
  const char *s = buf;
  for (;;) {
    while (*s && isspace((unsigned char)*s)) s++;
    if (!*s) return 0;
    const char *end = s;
    while (*end && *end != '\n' && *end != '\r') end++;
    if (skip-- == 0) {
      *b = s;
      *e = end;
      return 1;
    }
    s = end;
  }
}

static hw_instance_format detect_text(const char *buf) {
  const char *b, *e;
  if (!nth_line(buf, 0, &b, &e)) return HW_FORMAT_AUTO;
  if ((size_t)(e - b) >= 7 && strncmp(b, "nbNodes", 7) == 0) return HW_FORMAT_MANKOWSKA;
  if (nth_line(buf, 1, &b, &e) && (size_t)(e - b) >= 7 && strncmp(b, "VEHICLE", 7) == 0) return HW_FORMAT_SOLOMON;
  return HW_FORMAT_AUTO;
}

hw_instance_format hw_instance_detect(const char *buf, size_t len) {
  char *text = malloc(len + 1);
  if (!text) return HW_FORMAT_AUTO;
  memcpy(text, buf, len);
  text[len] = '\0';
  const char *s = text;
  while (*s && isspace((unsigned char)*s)) s++;
  hw_instance_format f;
  if (*s == '{')
    f = has_homeward_key(s) ? HW_FORMAT_HOMEWARD : HW_FORMAT_VROOM;
  else
    f = detect_text(s);
  free(text);
  return f;
}

static int dispatch(const char *text, size_t len, hw_instance_format format, hw_problem *out, char *err,
                    size_t err_len) {
  switch (format) {
  case HW_FORMAT_SOLOMON: return hw_instance_read_solomon(text, len, out, err, err_len);
  case HW_FORMAT_MANKOWSKA: return hw_instance_read_mankowska(text, len, out, err, err_len);
  case HW_FORMAT_VROOM: return hw_instance_read_json(text, len, 0, out, err, err_len);
  case HW_FORMAT_HOMEWARD: return hw_instance_read_json(text, len, 1, out, err, err_len);
  default:
    snprintf(err, err_len, "unrecognised instance format (expected Solomon or Mankowska text, or VROOM/Homeward JSON)");
    return HW_EINVAL;
  }
}

int hw_instance_read_buffer(const char *buf, size_t len, hw_instance_format format, hw_problem *out,
                            char *err, size_t err_len) {
  hw_problem_free(out);
  if (memchr(buf, '\0', len)) {
    snprintf(err, err_len, "binary content (NUL byte at offset %zu)", (size_t)((const char *)memchr(buf, '\0', len) - buf));
    return HW_EINVAL;
  }
  char *text = malloc(len + 1);
  if (!text) return HW_ENOMEM;
  memcpy(text, buf, len);
  text[len] = '\0';
  if (format == HW_FORMAT_AUTO) format = hw_instance_detect(text, len);
  int rc = dispatch(text, len, format, out, err, err_len);
  free(text);
  if (rc < 0) hw_problem_free(out);
  return rc;
}

static int slurp(const char *path, char **buf, size_t *len, char *err, size_t err_len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, err_len, "%s: cannot open", path);
    return HW_EIO;
  }
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  int rc = b ? 0 : HW_ENOMEM;
  while (rc == 0) {
    if (n == cap) {
      char *nb = cap * 2 > (size_t)HW_INSTANCE_MAX_BYTES ? NULL : realloc(b, cap * 2);
      if (!nb) {
        snprintf(err, err_len, "%s: file too large or out of memory", path);
        rc = HW_ENOMEM;
        break;
      }
      b = nb;
      cap *= 2;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        snprintf(err, err_len, "%s: read error", path);
        rc = HW_EIO;
      }
      break;
    }
  }
  fclose(f);
  if (rc < 0) {
    free(b);
    return rc;
  }
  *buf = b;
  *len = n;
  return 0;
}

/* The file's base name without directories and extensions ("C101" for a/b/C101.txt). */
static void base_name(const char *path, char *out, size_t out_len) {
  const char *slash = strrchr(path, '/');
  const char *b = slash ? slash + 1 : path;
  size_t n = strcspn(b, ".");
  if (n >= out_len) n = out_len - 1;
  memcpy(out, b, n);
  out[n] = '\0';
}

int hw_instance_read(const char *path, hw_instance_format format, hw_problem *out, char *err, size_t err_len) {
  char *buf = NULL;
  size_t len = 0;
  hw_problem_free(out);
  int rc = slurp(path, &buf, &len, err, err_len);
  if (rc < 0) return rc;
  char inner[400];
  rc = hw_instance_read_buffer(buf, len, format, out, inner, sizeof inner);
  free(buf);
  if (rc < 0) {
    snprintf(err, err_len, "%s: %s", path, inner);
    return rc;
  }
  if (out->name[0] == '\0') base_name(path, out->name, sizeof out->name);
  return 0;
}
