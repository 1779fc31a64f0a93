/*
 * Reviews of reablement episodes (hw_service.h): a coordinator's review is
 * applied to the stored episode with the pathway's state machine (hw_pathway.h).
 * The episode is rebuilt from its start date and the reviews already held, so
 * the next review date and the six-week limit count from where it really is.
 * An ended episode's visits after its end are cancelled and the ongoing care it
 * hands over to (mainstream, or intensive) is a new referral, allocated at once.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_error.h"
#include "service_internal.h"

/* The episode of allocated reablement referral r as the stored reviews left it. */
static int rebuild_episode(hw_store *st, const hw_pathway_policy *pol, const hw_referral *r, hw_episode *e,
                           hw_date *last_review) {
  hw_review *rv = NULL;
  int32_t n = 0;
  int rc = hw_store_list_reviews(st, r->id, &rv, &n);
  hw_episode_begin(pol, e, r->start_date);
  *last_review = HW_DATE_NONE;
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    hw_episode_review(pol, e, rv[i].date, rv[i].finding);
    *last_review = rv[i].date;
  }
  free(rv);
  return rc;
}

static int is_episode(const hw_referral *r) {
  return r->status == HW_REFERRAL_ALLOCATED && r->pathway == HW_PATHWAY_REABLEMENT && r->start_date != HW_DATE_NONE;
}

typedef struct review_ctx {
  hw_service *svc;
  hw_change *c;
  hw_client client;
  hw_episode ep;
  hw_review_result *out;
  hw_visit *visits;            /* the next referral's first visits, to place */
  int32_t n_visits;
} review_ctx;

/* The ongoing care that follows an episode ending as mainstream or intensive. */
static int hand_over(review_ctx *x, hw_store *st, hw_pathway pw, hw_records *rec) {
  hw_referral *next = &x->out->next;
  *next = x->out->referral;
  next->id = 0;
  next->pathway = pw;
  next->status = HW_REFERRAL_WAITING;
  next->team_id = 0;
  next->received_at = x->c->now;
  next->start_date = x->out->referral.end_date + 1;
  next->end_date = HW_DATE_NONE;
  next->outcome = HW_OUTCOME_NONE;
  int rc = hw__svc_allocate_one(st, &x->svc->set, next, &x->client, x->c->now);
  if (rc == 0) rc = hw_store_insert_referral(st, next);
  if (rc == 0) rc = hw_records_add_referral(rec, next);
  x->out->review.next_referral_id = next->id;
  int32_t first = rec->n_visits, made = 0;
  hw_date today = hw_time_local_date(x->c->now);
  hw_date from = next->start_date > today ? next->start_date : today;
  if (rc == 0)
    rc = hw__svc_generate_visits(st, &x->svc->set, next, &x->client, from, today + x->svc->set.horizon_days, x->c->now,
                                 rec, &made);
  x->n_visits = rec->n_visits - first;
  if (rc == 0 && x->n_visits > 0) {
    x->visits = malloc((size_t)x->n_visits * sizeof *x->visits);
    if (!x->visits) return HW_ENOMEM;
    memcpy(x->visits, rec->visits + first, (size_t)x->n_visits * sizeof *x->visits);
  }
  return rc;
}

static int end_episode(review_ctx *x, hw_store *st, hw_records *rec) {
  hw_referral *r = &x->out->referral;
  r->status = HW_REFERRAL_ENDED;
  r->outcome = x->out->review.outcome;
  r->end_date = x->out->review.date;
  hw_locday l;
  int rc = hw_store_update_referral(st, r);
  if (rc == 0) rc = hw_locday_load(st, x->client.locality_id, &l);
  if (rc) return rc;
  rc = hw__svc_cancel_visits(st, &l, r->id, r->end_date + 1, r->end_date + 3660, 0, HW_CANCEL_EPISODE_ENDED, rec,
                             &x->out->visits_cancelled);
  hw_locday_free(&l);
  int pw = hw_pathway_after(r->outcome);
  if (rc == 0 && pw >= 0) rc = hand_over(x, st, (hw_pathway)pw, rec);
  return rc;
}

static int review_tx(hw_store *st, void *vctx, hw_records *rec) {
  review_ctx *x = vctx;
  hw_review *rv = &x->out->review;
  int o = hw_episode_review(&x->svc->set.pathway, &x->ep, rv->date, rv->finding);
  if (o < 0) return hw__svc_reject(x->c, HW_EINVAL, "/finding", "the review cannot be applied to this episode");
  rv->outcome = (hw_episode_outcome)o;
  int rc = o != HW_OUTCOME_NONE ? end_episode(x, st, rec) : 0;
  if (rc == 0) rc = hw_store_insert_review(st, rv);
  if (rc == 0) rc = hw_records_add_review(rec, rv);
  if (rc == 0) rc = hw_records_add_referral(rec, &x->out->referral);
  return rc;
}

static int check_review(hw_service *svc, hw_change *c, review_ctx *x, hw_date last_review) {
  const hw_referral *r = &x->out->referral;
  const hw_review *rv = &x->out->review;
  if (!is_episode(r))
    return hw__svc_reject(c, HW_ECONFLICT, "", "only an allocated reablement episode is reviewed (this one is %s, %s)",
                          hw_pathway_name(r->pathway), hw_referral_status_name(r->status));
  if (hw_service_check_date(&svc->set, c->now, rv->date, "/date", c->errs)) return HW_EINVAL;
  if (rv->date < r->start_date) return hw__svc_reject(c, HW_EINVAL, "/date", "must not be before the episode's start");
  if (last_review != HW_DATE_NONE && rv->date < last_review)
    return hw__svc_reject(c, HW_EINVAL, "/date", "must not be before the last review");
  if (rv->date > hw_time_local_date(c->now)) return hw__svc_reject(c, HW_EINVAL, "/date", "must not be in the future");
  return 0;
}

int hw_service_review(hw_service *svc, hw_change *c, hw_id referral_id, const hw_review *r, hw_review_result *out) {
  memset(out, 0, sizeof *out);
  review_ctx x = {.svc = svc, .c = c, .out = out};
  out->review = *r;
  out->review.id = 0;
  out->review.referral_id = referral_id;
  out->review.next_referral_id = 0;
  hw_date last_review;
  int rc = hw_store_get_referral(svc->st, referral_id, &out->referral);
  if (rc == 0) rc = hw__svc_client_in_scope(svc->st, c->scope, out->referral.client_id, &x.client);
  if (rc == 0) rc = rebuild_episode(svc->st, &svc->set.pathway, &out->referral, &x.ep, &last_review);
  if (rc == 0) rc = check_review(svc, c, &x, last_review);
  if (rc) return rc;
  int own;
  if ((rc = hw__svc_begin(svc->st, &own))) return rc;
  hw_episode after = x.ep; /* the outcome names the event */
  int ends = hw_episode_review(&svc->set.pathway, &after, r->date, r->finding) > 0;
  rc = hw__svc_apply(svc->st, c, ends ? "referral.episode_ended" : "referral.reviewed", x.client.locality_id, review_tx,
                     &x);
  if (rc == 0 && x.n_visits) {
    hw_repair_report rep = {0};
    rc = hw__svc_place_new_visits(svc->st, c, x.client.locality_id, x.visits, x.n_visits, &rep);
  }
  free(x.visits);
  rc = hw__svc_end(svc->st, own, rc);
  if (rc) hw_service_forget(svc);
  return rc;
}

int hw_service_reviews_due(hw_store *st, const hw_service_settings *s, const hw_scope *scope, hw_date date,
                           hw_id locality, hw_referral **out, hw_date **due, int32_t *n) {
  *out = NULL;
  *due = NULL;
  *n = 0;
  hw_referral *rs = NULL;
  int32_t nr = 0;
  int rc = hw_service_referrals(st, scope, HW_REFERRAL_ALLOCATED, locality, &rs, &nr);
  hw_date *dates = rc == 0 ? malloc(((size_t)nr + 1) * sizeof *dates) : NULL;
  if (rc == 0 && !dates) rc = HW_ENOMEM;
  int32_t k = 0;
  for (int32_t i = 0; rc == 0 && i < nr; i++) {
    if (!is_episode(&rs[i])) continue;
    hw_episode e;
    hw_date last;
    rc = rebuild_episode(st, &s->pathway, &rs[i], &e, &last);
    if (rc == 0 && hw_episode_review_due(&e, date)) {
      rs[k] = rs[i];
      dates[k++] = e.next_review;
    }
  }
  if (rc) {
    free(rs);
    free(dates);
    return rc;
  }
  *out = rs;
  *due = dates;
  *n = k;
  return 0;
}
