/*
 * From search states to solutions and back: the earliest schedule of each route,
 * the reason each unassigned job was left out, the cost breakdown of a solution
 * (hw_solution_evaluate), a search state rebuilt from a solution (warm starts and
 * re-plans), and hw_insert_jobs, the fast path that inserts a few new jobs into a
 * published plan without searching (a discharge team's "can this visit still fit
 * today?").
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "search.h"


static int32_t step_loc(const hw_problem *p, const hw_resource *res, const hw_step *st, int32_t prev) {
  switch (st->kind) {
    case HW_STEP_START: return res->start_loc;
    case HW_STEP_END: return res->end_loc;
    case HW_STEP_JOB: return p->jobs[st->index].loc;
    case HW_STEP_BREAK: return prev;
  }
  return prev;
}

static int64_t job_lateness(const hw_job *j, hw_tick start) {
  int64_t late = -1;
  for (int w = 0; w < j->n_windows; w++) {
    if (start >= j->windows[w].start && start <= j->windows[w].end) return 0;
    if (start > j->windows[w].end) late = start - j->windows[w].end;
  }
  return late < 0 ? 0 : late;
}

void hw_solution_evaluate(const hw_problem *p, hw_solution *s) {
  hw_cost c;
  memset(&c, 0, sizeof c);
  for (int32_t k = 0; k < s->n_unassigned; k++)
    if (s->unassigned[k].job >= 0 && s->unassigned[k].job < p->n_jobs)
      c.unassigned_penalty += hw_job_unassigned_cost(&p->jobs[s->unassigned[k].job]);
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_route *rt = &s->routes[r];
    if (rt->resource < 0 || rt->resource >= p->n_resources) continue;
    const hw_resource *res = &p->resources[rt->resource];
    int32_t loc = res->start_loc, jobs = 0;
    int64_t work = 0;
    for (int32_t i = 0; i < rt->n_steps; i++) {
      const hw_step *st = &rt->steps[i];
      if (st->kind == HW_STEP_JOB && (st->index < 0 || st->index >= p->n_jobs)) continue;
      int32_t nl = step_loc(p, res, st, loc);
      if (st->kind != HW_STEP_BREAK && i > 0) {
        c.travel += hw_travel_cost(p, res->profile, loc, nl);
        work += hw_travel(p, res->profile, loc, nl);
      }
      if (st->kind == HW_STEP_JOB) {
        const hw_job *j = &p->jobs[st->index];
        jobs++;
        work += j->service;
        if (p->soft_windows) {
          int64_t l = job_lateness(j, st->start);
          c.lateness += l;
          if (l > c.max_lateness) c.max_lateness = l;
        }
        int pref = j->n_preferred == 0;
        for (int k = 0; k < j->n_preferred; k++) pref |= j->preferred[k] == rt->resource;
        if (!pref) c.preference += HW_PREF_PENALTY;
      } else if (st->kind == HW_STEP_BREAK && st->index >= 0 && st->index < res->n_breaks) {
        work += res->breaks[st->index].duration;
      }
      loc = nl;
    }
    if (jobs > 0) {
      c.fixed += res->fixed_cost;
      if (p->objective == HW_OBJ_ROSTER) c.balance += work * work / 3600000;
    }
  }
  c.total = c.unassigned_penalty + c.travel + c.fixed + c.preference + c.balance;
  if (p->soft_windows) c.total += p->lateness_weight * c.lateness;
  if (p->objective == HW_OBJ_MANKOWSKA) c.total += c.max_lateness;
  s->cost = c;
}

/* Earliest schedule of one route into steps; departure as late as keeps it. */
static void route_steps(const hw_state *s, const hw_rt *rt, hw_step *steps) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  const hw_resource *res = &p->resources[rt->res];
  int64_t t = res->shift.start;
  int32_t loc = res->start_loc;
  for (int32_t i = 1; i <= rt->n; i++) {
    int32_t x = rt->node[i];
    int brk = HW_NODE_IS_BREAK(x);
    hw_tick tr = brk ? 0 : hw_travel(p, res->profile, loc, rt->loc[i]);
    int64_t arr = t + tr, start = arr > rt->win[i].start ? arr : rt->win[i].start;
    steps[i].kind = brk ? HW_STEP_BREAK : HW_STEP_JOB;
    steps[i].index = brk ? HW_NODE_BREAK_INDEX(x) : c->task_job[x];
    steps[i].arrival = (hw_tick)arr;
    steps[i].start = (hw_tick)start;
    t = start + (brk ? res->breaks[HW_NODE_BREAK_INDEX(x)].duration : p->jobs[c->task_job[x]].service);
    loc = rt->loc[i];
  }
  hw_tick dep = res->shift.start;
  if (rt->n >= 1 && !HW_NODE_IS_BREAK(rt->node[1])) {
    hw_tick lead = steps[1].start - hw_travel(p, res->profile, res->start_loc, rt->loc[1]);
    if (lead > dep) dep = lead;
    steps[1].arrival = dep + hw_travel(p, res->profile, res->start_loc, rt->loc[1]);
  }
  steps[0] = (hw_step){HW_STEP_START, -1, dep, dep};
  hw_tick end = (hw_tick)(t + hw_travel(p, res->profile, loc, res->end_loc));
  steps[rt->n + 1] = (hw_step){HW_STEP_END, -1, end, end};
}

/* Why job j (unit u) could not be placed; scratch is a state with empty routes. */
static hw_unassigned_reason diagnose(hw_state *scratch, int32_t j) {
  const hw_ctx *c = scratch->c;
  const hw_problem *p = c->p;
  const hw_job *job = &p->jobs[j];
  int32_t t = c->job_task[j], u = c->task_unit[t];
  int capable = 0, open = 0, alone = 0;
  for (int32_t r = 0; r < p->n_resources; r++) {
    if ((job->skills & p->resources[r].skills) != job->skills) continue;
    capable++;
    int excluded = 0;
    for (int k = 0; k < job->n_excluded; k++) excluded |= job->excluded[k] == r;
    if (!excluded) open++;
    hw_ins ins;
    if (c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)r] &&
        hw_best_insert_task(scratch, t, r, &ins))
      alone++;
  }
  if (capable == 0) return HW_UNASSIGNED_NO_SKILL;
  if (open == 0) return HW_UNASSIGNED_EXCLUDED;
  if (job->pin_resource >= 0 && !c->allowed[(size_t)t * (size_t)p->n_resources + (size_t)job->pin_resource])
    return HW_UNASSIGNED_PIN_INFEASIBLE;
  if (alone == 0)
    return job->pin_start >= 0 || job->pin_resource >= 0 ? HW_UNASSIGNED_PIN_INFEASIBLE : HW_UNASSIGNED_NO_WINDOW;
  if (c->unit_task[2 * u + 1] >= 0) {
    if (!hw_insert_unit(scratch, u, 0)) return HW_UNASSIGNED_NO_PARTNER;
    hw_remove_unit(scratch, u);
  }
  return HW_UNASSIGNED_NO_CAPACITY;
}

/* Reasons are properties of the problem alone (diagnose works on empty routes), so
 * with reuse_reasons a job already unassigned in out keeps out's reason and is not
 * diagnosed again (except the n_fresh jobs listed in fresh): hw_insert_jobs stays
 * fast when many jobs are unassigned. */
static int to_solution(const hw_state *s, hw_solution *out, int reuse_reasons, const int32_t *fresh,
                       int32_t n_fresh) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  hw_solution sol;
  hw_solution_init(&sol);
  int32_t used = 0, un = 0;
  for (int32_t r = 0; r < s->n_routes; r++) used += s->routes[r].n_tasks > 0;
  for (int32_t j = 0; j < p->n_jobs; j++) un += s->unassigned[c->task_unit[c->job_task[j]]];
  sol.routes = calloc(used ? (size_t)used : 1, sizeof(hw_route));
  sol.unassigned = calloc(un ? (size_t)un : 1, sizeof(hw_unassigned));
  if (!sol.routes || !sol.unassigned) goto nomem;
  for (int32_t r = 0; r < s->n_routes; r++) {
    const hw_rt *rt = &s->routes[r];
    if (rt->n_tasks == 0) continue;
    hw_route *o = &sol.routes[sol.n_routes++];
    o->resource = rt->res;
    o->steps = calloc((size_t)rt->n + 2, sizeof(hw_step));
    if (!o->steps) goto nomem;
    o->n_steps = rt->n + 2;
    route_steps(s, rt, o->steps);
  }
  if (un > 0) {
    int8_t *known = reuse_reasons ? malloc((size_t)p->n_jobs) : NULL;
    if (known) {
      memset(known, -1, (size_t)p->n_jobs);
      for (int32_t k = 0; k < out->n_unassigned; k++)
        if (out->unassigned[k].job >= 0 && out->unassigned[k].job < p->n_jobs)
          known[out->unassigned[k].job] = (int8_t)out->unassigned[k].reason;
      for (int32_t k = 0; k < n_fresh; k++) known[fresh[k]] = -1;
    }
    hw_state scratch;
    int have_scratch = 0;
    for (int32_t j = 0; j < p->n_jobs; j++) {
      if (!s->unassigned[c->task_unit[c->job_task[j]]]) continue;
      if (known && known[j] >= 0) {
        sol.unassigned[sol.n_unassigned++] = (hw_unassigned){j, (hw_unassigned_reason)known[j]};
        continue;
      }
      if (!have_scratch && hw_state_init(&scratch, c, 1)) {
        free(known);
        goto nomem;
      }
      have_scratch = 1;
      sol.unassigned[sol.n_unassigned++] = (hw_unassigned){j, diagnose(&scratch, j)};
    }
    if (have_scratch) hw_state_free(&scratch);
    free(known);
  }
  hw_solution_evaluate(p, &sol);
  int64_t stability = 0;
  for (int32_t r = 0; r < s->n_routes; r++) stability += s->routes[r].pen;
  stability -= sol.cost.preference;
  if (stability > 0) {
    sol.cost.preference += stability;
    sol.cost.total += stability;
  }
  sol.iterations = out->iterations;
  sol.solve_ms = out->solve_ms;
  hw_solution_free(out);
  *out = sol;
  return 0;
nomem:
  hw_solution_free(&sol);
  return HW_ENOMEM;
}

int hw_state_to_solution(const hw_state *s, hw_solution *out) { return to_solution(s, out, 0, NULL, 0); }

/* The window a routed task keeps: the point for partnered or pinned tasks, else the
 * job's window that contains the given start (the first one if none does). */
void hw_kept_window(const hw_ctx *c, int32_t t, hw_tick start, hw_window *w, hw_tick *le) {
  hw_window ws[HW_MAX_WINDOWS];
  int32_t nw = hw_task_windows(c, t, ws);
  *w = ws[0];
  for (int32_t k = nw - 1; k >= 0; k--)
    if (start >= ws[k].start) {
      *w = ws[k];
      break;
    }
  *le = w->end;
  if (c->task_partner[t] >= 0) w->start = w->end = start;
  else if (c->p->soft_windows && c->p->jobs[c->task_job[t]].pin_start < 0) w->end = HW_TICK_MAX;
}

int hw_state_from_solution(hw_state *s, const hw_solution *sol) {
  const hw_ctx *c = s->c;
  const hw_problem *p = c->p;
  for (int32_t k = 0; k < sol->n_routes; k++) {
    const hw_route *ir = &sol->routes[k];
    if (ir->resource < 0 || ir->resource >= s->n_routes) return HW_EINVAL;
    hw_rt *rt = &s->routes[ir->resource];
    if (rt->n_tasks > 0 || hw_rt_reserve(rt, ir->n_steps)) return rt->n_tasks > 0 ? HW_EINVAL : HW_ENOMEM;
    int32_t n = 0;
    uint8_t have_break[HW_MAX_BREAKS] = {0};
    for (int32_t i = 0; i < ir->n_steps; i++) {
      const hw_step *st = &ir->steps[i];
      if (st->kind == HW_STEP_JOB) {
        if (st->index < 0 || st->index >= p->n_jobs) return HW_EINVAL;
        int32_t t = c->job_task[st->index];
        if (s->route_of[t] >= 0 || (p->jobs[st->index].workers == 2 && s->pos_of[t] == -7)) t++;
        if (t >= c->job_task[st->index + 1] || s->route_of[t] >= 0) return HW_EINVAL;
        s->route_of[t] = ir->resource;
        s->pos_of[t] = -7; /* claimed; hw_rt_update sets the real position */
        n++;
        hw_kept_window(c, t, st->start, &rt->win[n], &rt->late_end[n]);
        rt->node[n] = t;
      } else if (st->kind == HW_STEP_BREAK) {
        const hw_resource *res = &p->resources[ir->resource];
        if (st->index < 0 || st->index >= res->n_breaks || have_break[st->index]) return HW_EINVAL;
        have_break[st->index] = 1;
        n++;
        rt->node[n] = HW_NODE_BREAK(st->index);
        rt->win[n] = res->breaks[st->index].window;
        rt->late_end[n] = res->breaks[st->index].window.end;
      }
    }
    const hw_resource *res = &p->resources[ir->resource];
    for (int b = 0; b < res->n_breaks; b++) /* a break the solution left out goes last */
      if (!have_break[b]) {
        if (hw_rt_reserve(rt, n + 1)) return HW_ENOMEM;
        n++;
        rt->node[n] = HW_NODE_BREAK(b);
        rt->win[n] = res->breaks[b].window;
        rt->late_end[n] = res->breaks[b].window.end;
      }
    rt->n = n;
    hw_rt_update(s, ir->resource);
  }
  /* Units are assigned when all their tasks are routed; half-routed ones are undone. */
  for (int32_t u = 0; u < c->n_units; u++) {
    int32_t a = c->unit_task[2 * u], b = c->unit_task[2 * u + 1];
    int in = s->route_of[a] >= 0 && (b < 0 || s->route_of[b] >= 0);
    hw_set_unassigned(s, u, !in);
    if (!in) {
      hw_rt_remove_task(s, a);
      if (b >= 0) hw_rt_remove_task(s, b);
    }
  }
  return 0;
}

int hw_insert_jobs(const hw_problem *p, hw_solution *s, const int32_t *jobs, int32_t n_jobs) {
  char msg[256];
  if (!s || (n_jobs > 0 && !jobs)) return HW_EINVAL;
  int rc = hw_problem_validate(p, msg, sizeof msg);
  if (rc) return rc;
  for (int32_t k = 0; k < n_jobs; k++)
    if (jobs[k] < 0 || jobs[k] >= p->n_jobs) return HW_EINVAL;
  hw_ctx ctx;
  rc = hw_ctx_build(&ctx, p, NULL, 0, 0);
  if (rc) return rc;
  hw_state st;
  rc = hw_state_init(&st, &ctx, 1);
  if (rc) {
    hw_ctx_free(&ctx);
    return rc;
  }
  for (int32_t t = 0; t < ctx.n_tasks; t++) st.pos_of[t] = 0;
  rc = hw_state_from_solution(&st, s);
  int inserted = 0;
  for (int32_t k = 0; k < n_jobs && rc == 0; k++) {
    int32_t u = ctx.task_unit[ctx.job_task[jobs[k]]];
    if (st.unassigned[u] && hw_insert_unit(&st, u, 0)) inserted++;
  }
  if (rc == 0) rc = to_solution(&st, s, 1, jobs, n_jobs);
  hw_state_free(&st);
  hw_ctx_free(&ctx);
  return rc ? rc : inserted;
}
