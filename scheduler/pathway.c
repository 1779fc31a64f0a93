/*
 * The reablement-first pathway (hw_pathway.h): the state machine, and the wrapper
 * that applies a review to a stored referral in one event.
 */
#include "hw_pathway.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_codec.h"
#include "hw_error.h"

static const char *const finding_names[HW_FINDING_COUNT] = {
    "progressing", "independent", "ongoing_need", "complex_need", "end_of_life"};

const char *hw_review_finding_name(hw_review_finding f) {
  return (unsigned)f < HW_FINDING_COUNT ? finding_names[f] : "unknown";
}

int hw_review_finding_parse(const char *s, hw_review_finding *out) {
  for (int i = 0; i < HW_FINDING_COUNT; i++)
    if (s && strcmp(s, finding_names[i]) == 0) {
      *out = (hw_review_finding)i;
      return 0;
    }
  return HW_EINVAL;
}

void hw_pathway_policy_init(hw_pathway_policy *p) {
  p->max_weeks = 6;
  p->review_days = 7;
}

void hw_episode_begin(const hw_pathway_policy *p, hw_episode *e, hw_date start) {
  *e = (hw_episode){0};
  e->pathway = HW_PATHWAY_REABLEMENT;
  e->status = HW_REFERRAL_ACTIVE;
  e->start_date = start;
  e->next_review = start + p->review_days;
  e->end_date = HW_DATE_NONE;
  e->outcome = HW_OUTCOME_NONE;
}

int hw_episode_review_due(const hw_episode *e, hw_date on) {
  return e->status == HW_REFERRAL_ACTIVE && on >= e->next_review;
}

static hw_episode_outcome outcome_of(hw_review_finding f, int last_review) {
  switch (f) {
  case HW_FINDING_INDEPENDENT: return HW_OUTCOME_INDEPENDENT;
  case HW_FINDING_ONGOING_NEED: return HW_OUTCOME_MAINSTREAM;
  case HW_FINDING_COMPLEX_NEED:
  case HW_FINDING_END_OF_LIFE: return HW_OUTCOME_INTENSIVE;
  default: return last_review ? HW_OUTCOME_MAINSTREAM : HW_OUTCOME_NONE;
  }
}

int hw_episode_review(const hw_pathway_policy *p, hw_episode *e, hw_date on, hw_review_finding f) {
  if (e->status != HW_REFERRAL_ACTIVE || e->pathway != HW_PATHWAY_REABLEMENT) return HW_EINVAL;
  if (on < e->start_date || (unsigned)f >= HW_FINDING_COUNT) return HW_EINVAL;
  hw_date last_day = e->start_date + 7 * p->max_weeks;
  e->reviews++;
  hw_episode_outcome o = outcome_of(f, on >= last_day);
  if (o == HW_OUTCOME_NONE) {
    e->next_review = on + p->review_days < last_day ? on + p->review_days : last_day;
    return HW_OUTCOME_NONE;
  }
  e->status = HW_REFERRAL_ENDED;
  e->outcome = o;
  e->end_date = on;
  return o;
}

int hw_pathway_after(hw_episode_outcome o) {
  if (o == HW_OUTCOME_MAINSTREAM) return HW_PATHWAY_MAINSTREAM;
  if (o == HW_OUTCOME_INTENSIVE) return HW_PATHWAY_INTENSIVE;
  return -1;
}

/* ---- Store wrapper -------------------------------------------------------- */

typedef struct review_ctx {
  hw_referral ref;        /* loaded before the change, updated inside it */
  hw_date on;
  hw_review_finding finding;
  hw_review_result res;
} review_ctx;

/* The ongoing-care referral that follows an episode ending as mainstream/intensive. */
static void ongoing_referral(const hw_referral *ended, hw_pathway pw, hw_referral *next) {
  *next = *ended;
  next->id = 0;
  next->pathway = pw;
  next->status = HW_REFERRAL_OPEN;
  next->team_id = 0;
  next->start_date = ended->end_date + 1;
  next->end_date = HW_DATE_NONE;
  next->outcome = HW_OUTCOME_NONE;
}

static int review_tx(hw_store *st, void *vctx, char **result) {
  review_ctx *c = vctx;
  /* Checked here, not before the change: a replayed idempotency key must get its
   * first answer even though the referral has moved on since. */
  if (c->ref.pathway != HW_PATHWAY_REABLEMENT || c->ref.status != HW_REFERRAL_ACTIVE) return HW_EINVAL;
  if (c->ref.start_date == HW_DATE_NONE || c->on < c->ref.start_date) return HW_EINVAL;
  hw_pathway_policy pol;
  hw_pathway_policy_init(&pol);
  hw_episode e;
  hw_episode_begin(&pol, &e, c->ref.start_date);
  int o = hw_episode_review(&pol, &e, c->on, c->finding);
  if (o < 0) return o;
  c->res.outcome = (hw_episode_outcome)o;
  c->res.next_referral_id = 0;
  if (o != HW_OUTCOME_NONE) {
    c->ref.status = HW_REFERRAL_ENDED;
    c->ref.outcome = (hw_episode_outcome)o;
    c->ref.end_date = c->on;
    int rc = hw_store_update_referral(st, &c->ref);
    if (rc < 0) return rc;
    int pw = hw_pathway_after((hw_episode_outcome)o);
    if (pw >= 0) {
      hw_referral next;
      ongoing_referral(&c->ref, (hw_pathway)pw, &next);
      rc = hw_store_insert_referral(st, &next);
      if (rc < 0) return rc;
      c->res.next_referral_id = next.id;
    }
  }
  json_t *j = json_pack("{s:s, s:s, s:I}", "finding", hw_review_finding_name(c->finding), "outcome",
                        hw_episode_outcome_name(c->res.outcome), "next_referral_id",
                        (json_int_t)c->res.next_referral_id);
  if (!j) return HW_ENOMEM;
  *result = hw_json_dumps_canonical(j);
  json_decref(j);
  return *result ? 0 : HW_ENOMEM;
}

int hw_pathway_apply_review(hw_store *st, hw_id referral_id, hw_date on, hw_review_finding f,
                            const char *actor, const char *idempotency_key, hw_time now,
                            hw_review_result *res) {
  review_ctx c = {.on = on, .finding = f};
  int rc = hw_store_get_referral(st, referral_id, &c.ref);
  if (rc < 0) return rc;
  if ((unsigned)f >= HW_FINDING_COUNT) return HW_EINVAL;
  /* The payload is the referral as it will be after the review, so the event log
   * alone reproduces the outcome figures. Work it out on a copy first. */
  hw_pathway_policy pol;
  hw_pathway_policy_init(&pol);
  hw_episode e;
  hw_episode_begin(&pol, &e, c.ref.start_date);
  hw_referral after = c.ref;
  int o = c.ref.status == HW_REFERRAL_ACTIVE ? hw_episode_review(&pol, &e, on, f) : HW_OUTCOME_NONE;
  if (o < 0) o = HW_OUTCOME_NONE; /* review_tx rejects it inside the change */
  if (o != HW_OUTCOME_NONE) {
    after.status = HW_REFERRAL_ENDED;
    after.outcome = (hw_episode_outcome)o;
    after.end_date = on;
  }
  json_t *payload = json_pack("{s:o, s:s, s:s}", "referral", hw_referral_to_json(&after), "finding",
                              hw_review_finding_name(f), "outcome", hw_episode_outcome_name((hw_episode_outcome)o));
  if (!payload) return HW_ENOMEM;
  char *text = hw_json_dumps_canonical(payload);
  json_decref(payload);
  if (!text) return HW_ENOMEM;
  hw_event ev = {.received_at = now, .payload = text};
  snprintf(ev.type, sizeof ev.type, "%s", o == HW_OUTCOME_NONE ? "referral.reviewed" : "referral.episode_ended");
  snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "system");
  snprintf(ev.idempotency_key, sizeof ev.idempotency_key, "%s", idempotency_key ? idempotency_key : "");
  hw_apply_result ar = {0};
  rc = hw_store_apply(st, &ev, review_tx, &c, &ar);
  free(text);
  if (rc < 0) return rc;
  *res = c.res;
  if (ar.replayed && ar.result) {
    json_t *r = json_loads(ar.result, 0, NULL);
    const char *oname = json_string_value(json_object_get(r, "outcome"));
    res->outcome = HW_OUTCOME_NONE;
    for (int i = 0; oname && i < HW_OUTCOME_COUNT; i++)
      if (strcmp(oname, hw_episode_outcome_name((hw_episode_outcome)i)) == 0) res->outcome = (hw_episode_outcome)i;
    res->next_referral_id = json_integer_value(json_object_get(r, "next_referral_id"));
    json_decref(r);
  }
  free(ar.result);
  return 0;
}
