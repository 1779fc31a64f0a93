/*
 * Reader of the Mankowska et al. (2014) home health care instances in Kummer's
 * text version (/work/shared/data/hhc/README.md has the format): keyword lines
 * (nbNodes, nbVehi, nbServi, r, DS, a, x, y, d, p, mind, maxd, e, l), each followed
 * by its numbers.
 *
 * Mapping: node 0 is the depot at the start of the day and node N-1 the depot at
 * its end; nodes 1..N-2 are patients. Every caregiver is a resource (id k+1) from
 * node 0 to node N-1 whose skills are the services of its `a` row. Every service a
 * patient requires is a job (id node*10 + service number) with that service as its
 * only skill, the patient's window, soft (lateness costs); a two-service patient
 * (listed in DS) gives a link from the lower-numbered service to the higher one
 * with gaps [mind, maxd] (simultaneous = 0, 0). Durations come from `p`; a file
 * whose durations differ between caregivers is rejected ("not supported"). The
 * return to the depot is not limited: it carries no cost in this objective.
 *
 * One tick is 1/1000 of a time unit. The matrix has 6 decimals; travel ticks are
 * ceil(d * 1000) so schedules stay feasible in the file's own arithmetic, costs
 * llround(d * 1000), and the coordinates are kept (d is their Euclidean distance)
 * so the checker recomputes the objective in double precision.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "hw_instance.h"

#define MK_SCALE 1000.0
#define MK_MAX_NODES 5000
#define MK_MAX_SERVICES 64

/* One keyword section: its numbers and the line of the keyword. */
typedef struct section {
  const char *name;
  int line;        /* 0 = not seen */
  double *v;
  int n;
  int cap;
} section;

enum { S_NODES, S_VEHI, S_SERVI, S_R, S_DS, S_A, S_X, S_Y, S_D, S_P, S_MIND, S_MAXD, S_E, S_L, S_COUNT };

static const char *const section_names[S_COUNT] = {"nbNodes", "nbVehi", "nbServi", "r", "DS", "a", "x",
                                                   "y", "d", "p", "mind", "maxd", "e", "l"};

typedef struct mk {
  section sec[S_COUNT];
  int N, K, S;
  char *err;
  size_t err_len;
} mk;

static int failf(mk *m, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int failf(mk *m, int line, const char *fmt, ...) {
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line > 0)
    snprintf(m->err, m->err_len, "line %d: %s", line, msg);
  else
    snprintf(m->err, m->err_len, "%s", msg);
  return HW_EINVAL;
}

static int push(section *s, double x) {
  if (s->n == s->cap) {
    int cap = s->cap ? s->cap * 2 : 64;
    double *nv = realloc(s->v, (size_t)cap * sizeof *nv);
    if (!nv) return HW_ENOMEM;
    s->v = nv;
    s->cap = cap;
  }
  s->v[s->n++] = x;
  return 0;
}

static int section_index(const char *tok, size_t len) {
  for (int i = 0; i < S_COUNT; i++)
    if (strlen(section_names[i]) == len && strncmp(tok, section_names[i], len) == 0) return i;
  return -1;
}

/* Split the text into sections: a keyword starts one, numbers fill it. */
static int tokenize(mk *m, const char *s) {
  int line = 1, cur = -1, count = 0;
  while (*s) {
    if (*s == '\n') {
      line++;
      s++;
      continue;
    }
    if (isspace((unsigned char)*s)) {
      s++;
      continue;
    }
    const char *b = s;
    while (*s && !isspace((unsigned char)*s)) s++;
    size_t len = (size_t)(s - b);
    if (isalpha((unsigned char)*b)) {
      cur = section_index(b, len);
      if (cur < 0) return failf(m, line, "unknown keyword \"%.*s\"", (int)(len > 40 ? 40 : len), b);
      if (m->sec[cur].line) return failf(m, line, "keyword \"%s\" appears twice", section_names[cur]);
      m->sec[cur].line = line;
      if (++count == 1 && cur != S_NODES) return failf(m, line, "not a Mankowska instance: expected \"nbNodes\" first");
      continue;
    }
    if (cur < 0) return failf(m, line, "not a Mankowska instance: number before the first keyword");
    char tmp[64], *end;
    if (len >= sizeof tmp) return failf(m, line, "number too long");
    memcpy(tmp, b, len);
    tmp[len] = '\0';
    errno = 0;
    double x = strtod(tmp, &end);
    if (*end || errno == ERANGE || !isfinite(x))
      return failf(m, line, "in section \"%s\": \"%s\" is not a number", section_names[cur], tmp);
    if (push(&m->sec[cur], x) < 0) return HW_ENOMEM;
  }
  return 0;
}

static int scalar(mk *m, int s, int lo, int hi, int *out) {
  section *sec = &m->sec[s];
  if (!sec->line) return failf(m, 0, "truncated file: missing \"%s\"", section_names[s]);
  if (sec->n != 1 || sec->v[0] != floor(sec->v[0]) || sec->v[0] < lo || sec->v[0] > hi)
    return failf(m, sec->line, "\"%s\" must be one integer in [%d, %d]", section_names[s], lo, hi);
  *out = (int)sec->v[0];
  return 0;
}

/* Every section present with exactly the number of values its shape needs. */
static int check_shapes(mk *m) {
  int rc = scalar(m, S_NODES, 3, MK_MAX_NODES, &m->N);
  if (rc == 0) rc = scalar(m, S_VEHI, 1, 10000, &m->K);
  if (rc == 0) rc = scalar(m, S_SERVI, 1, MK_MAX_SERVICES, &m->S);
  if (rc < 0) return rc;
  long N = m->N, K = m->K, S = m->S;
  const long need[S_COUNT] = {1, 1, 1, N * S, -1, K * S, N, N, N * N, N * K * S, N, N, N, N};
  for (int s = S_R; s < S_COUNT; s++) {
    section *sec = &m->sec[s];
    if (!sec->line) return failf(m, 0, "truncated file: missing \"%s\"", section_names[s]);
    if (need[s] >= 0 && sec->n != need[s])
      return failf(m, sec->line, "\"%s\" needs %ld values, found %d%s", section_names[s], need[s], sec->n,
                   sec->n < need[s] ? " (truncated file?)" : "");
  }
  return 0;
}

/* The one duration of service s at node i, or HW_EUNSUPPORTED if caregivers differ. */
static int duration_of(mk *m, int i, int s, double *out) {
  const section *p = &m->sec[S_P];
  double d0 = p->v[((long)i * m->K) * m->S + s];
  for (int k = 1; k < m->K; k++)
    if (p->v[((long)i * m->K + k) * m->S + s] != d0) {
      failf(m, p->line, "not supported: caregiver-dependent durations (node %d, service %d)", i, s + 1);
      return HW_EUNSUPPORTED;
    }
  if (d0 < 0) return failf(m, p->line, "negative duration at node %d, service %d", i, s + 1);
  *out = d0;
  return 0;
}

static int is_double_service(const mk *m, int node) {
  const section *ds = &m->sec[S_DS];
  for (int i = 0; i < ds->n; i++)
    if (ds->v[i] == node + 1) return 1;
  return 0;
}

static int required(const mk *m, int node, int s) { return m->sec[S_R].v[(long)node * m->S + s] != 0; }

static hw_tick ticks(double t) { return (hw_tick)llround(t * MK_SCALE); }

/* Count jobs and links, checking each patient's services against DS. */
static int count_jobs(mk *m, int *n_jobs, int *n_links) {
  *n_jobs = *n_links = 0;
  const section *ds = &m->sec[S_DS];
  for (int i = 0; i < ds->n; i++)
    if (ds->v[i] != floor(ds->v[i]) || ds->v[i] < 2 || ds->v[i] > m->N - 1)
      return failf(m, ds->line, "DS: %g is not a patient node (1-based, 2..%d)", ds->v[i], m->N - 1);
  for (int i = 1; i < m->N - 1; i++) {
    int n = 0;
    for (int s = 0; s < m->S; s++) n += required(m, i, s);
    int dbl = is_double_service(m, i);
    if (n == 0) return failf(m, m->sec[S_R].line, "r: patient node %d requires no service", i);
    if (n > 2) return failf(m, m->sec[S_R].line, "not supported: patient node %d requires %d services", i, n);
    if ((n == 2) != dbl)
      return failf(m, m->sec[S_DS].line, "DS: patient node %d requires %d service(s) but is %slisted", i, n,
                   dbl ? "" : "not ");
    *n_jobs += n;
    *n_links += n == 2;
  }
  return 0;
}

static int check_times(mk *m) {
  for (int i = 0; i < m->N; i++) {
    double e = m->sec[S_E].v[i], l = m->sec[S_L].v[i];
    if (e < 0) return failf(m, m->sec[S_E].line, "e: negative window start at node %d", i);
    if (l < e) return failf(m, m->sec[S_L].line, "l: window end before start at node %d", i);
    if (l * MK_SCALE > HW_TICK_MAX / 4) return failf(m, m->sec[S_L].line, "l: time too large at node %d", i);
  }
  for (long k = 0; k < (long)m->N * m->N; k++) {
    double d = m->sec[S_D].v[k];
    if (d < 0 || d * MK_SCALE > HW_TICK_MAX / 4)
      return failf(m, m->sec[S_D].line, "d: distance %g out of range (row %ld)", d, k / m->N);
  }
  return 0;
}

static void fill_resources(mk *m, hw_problem *p) {
  for (int k = 0; k < m->K; k++) {
    hw_resource *res = &p->resources[k];
    res->id = k + 1;
    res->start_loc = 0;
    res->end_loc = m->N - 1;
    res->shift.start = ticks(m->sec[S_E].v[0]);
    res->shift.end = HW_TICK_MAX;
    res->skills = 0;
    for (int s = 0; s < m->S; s++)
      if (m->sec[S_A].v[(long)k * m->S + s] != 0) res->skills |= (hw_skillset)1 << s;
  }
}

static int fill_jobs(mk *m, hw_problem *p) {
  int j = 0, l = 0;
  for (int i = 1; i < m->N - 1; i++) {
    int first = -1;
    for (int s = 0; s < m->S; s++) {
      if (!required(m, i, s)) continue;
      double dur = 0;
      int rc = duration_of(m, i, s, &dur);
      if (rc < 0) return rc;
      hw_job *job = &p->jobs[j];
      job->id = HW_MANKOWSKA_JOB_ID(i, s);
      job->loc = i;
      job->service = ticks(dur);
      job->windows[0].start = ticks(m->sec[S_E].v[i]);
      job->windows[0].end = ticks(m->sec[S_L].v[i]);
      job->skills = (hw_skillset)1 << s;
      if (first < 0) {
        first = j;
      } else {
        double mind = m->sec[S_MIND].v[i], maxd = m->sec[S_MAXD].v[i];
        if (maxd < mind) return failf(m, m->sec[S_MAXD].line, "maxd: below mind at node %d", i);
        p->links[l].first = first;
        p->links[l].second = j;
        p->links[l].min_gap = ticks(mind);
        p->links[l].max_gap = ticks(maxd);
        l++;
      }
      j++;
    }
  }
  return 0;
}

static int build(mk *m, hw_problem *p) {
  int n_jobs, n_links;
  int rc = count_jobs(m, &n_jobs, &n_links);
  if (rc == 0) rc = check_times(m);
  if (rc == 0) rc = hw_problem_alloc(p, m->N, 1, m->K, n_jobs, n_links);
  if (rc < 0) return rc;
  int32_t n = m->N;
  if (!p->costs[0]) p->costs[0] = calloc((size_t)n * (size_t)n, sizeof(int64_t));
  p->x = malloc((size_t)n * sizeof(double));
  p->y = malloc((size_t)n * sizeof(double));
  if (!p->costs[0] || !p->x || !p->y) return HW_ENOMEM;
  memcpy(p->x, m->sec[S_X].v, (size_t)n * sizeof(double));
  memcpy(p->y, m->sec[S_Y].v, (size_t)n * sizeof(double));
  for (long k = 0; k < (long)n * n; k++) {
    double d = m->sec[S_D].v[k] * MK_SCALE;
    p->durations[0][k] = (hw_tick)ceil(d - 1e-7);
    p->costs[0][k] = llround(d);
  }
  p->objective = HW_OBJ_MANKOWSKA;
  p->time_scale = MK_SCALE;
  p->soft_windows = 1;
  p->lateness_weight = 1;
  fill_resources(m, p);
  return fill_jobs(m, p);
}

int hw_instance_read_mankowska(const char *buf, size_t len, hw_problem *out, char *err, size_t err_len) {
  (void)len;
  hw_problem_free(out);
  mk m;
  memset(&m, 0, sizeof m);
  m.err = err;
  m.err_len = err_len;
  int rc = tokenize(&m, buf);
  if (rc == 0) rc = check_shapes(&m);
  if (rc == 0) rc = build(&m, out);
  if (rc == HW_ENOMEM) snprintf(err, err_len, "out of memory");
  if (rc == 0) {
    char msg[200];
    rc = hw_problem_validate(out, msg, sizeof msg);
    if (rc < 0) snprintf(err, err_len, "invalid instance: %s", msg);
  }
  for (int s = 0; s < S_COUNT; s++) free(m.sec[s].v);
  if (rc < 0) hw_problem_free(out);
  return rc;
}
