/*
 * Intake: the record changes that arrive through the API, validated and applied
 * to the store, plus the reads that go with them. Each change is one hw_intake
 * value: hw_intake_prepare parses and checks the request document (no store
 * needed, every bad field reported), then hw_intake_apply - an hw_store_tx_fn -
 * runs inside hw_store_apply (the daemon's writer calls it in a savepoint of a
 * group commit), where the checks that need the database happen: the records
 * referred to exist, they lie in the caller's localities, status transitions are
 * allowed. A rejected change returns an error and the store is left unchanged.
 *
 * Who may call what (role x endpoint) is the daemon's auth; WHERE they may act
 * (locality scoping) is checked here, inside the transaction, on the records
 * themselves: a referral or discharge is in its client's locality, a worker or
 * absence in its team's locality, a visit in its client's locality; a discharge
 * request made by a `discharge` token is seen and followed only by that token
 * (scope.owner; the creator is stored with the request).
 *
 * Policy applied here (DESIGN.md): every new referral and every change of need
 * goes through reablement first, so a created referral is pathway "reablement"
 * whatever the request says, and a changed care plan (PATCH) re-enters
 * reablement with source "change_of_need".
 */
#ifndef HW_INTAKE_H
#define HW_INTAKE_H

#include <jansson.h>

#include "hw_codec.h"
#include "hw_domain.h"
#include "hw_store.h"

#define HW_SCOPE_MAX 16

/* The localities a caller may act in. */
typedef struct hw_scope {
  int32_t all;                       /* 1: every locality */
  hw_id owner;                       /* non-zero: only the discharge requests this API
                                        token created (a `discharge` token) */
  hw_id creator;                     /* the caller's token, recorded as the creator of
                                        a new discharge request (0: none) */
  int32_t n;
  hw_id localities[HW_SCOPE_MAX];
} hw_scope;

/* 1 when locality_id is inside the scope. */
int hw_scope_allows(const hw_scope *s, hw_id locality_id);

typedef enum hw_intake_kind {
  HW_INTAKE_REFERRAL_CREATE = 0,     /* body: referral, or referral with "client" inline */
  HW_INTAKE_REFERRAL_CHANGE,         /* target: referral id; body: fields to change */
  HW_INTAKE_WORKER_CREATE,           /* body: worker */
  HW_INTAKE_ABSENCE_RECORD,          /* target: worker id; body: absence (no worker_id) */
  HW_INTAKE_VISIT_CHECK_IN,          /* target: visit id; body: {"at": time} or empty (now) */
  HW_INTAKE_VISIT_CHECK_OUT,
  HW_INTAKE_DISCHARGE_CREATE,        /* body: discharge, or with "client" inline */
  HW_INTAKE_KIND_COUNT
} hw_intake_kind;

typedef struct hw_intake {
  hw_intake_kind kind;
  hw_scope scope;
  hw_time now;                       /* the instant the request was received */
  hw_id target;                      /* id from the path, 0 if none */
  json_t *body;                      /* the parsed request document (owned) */
  hw_errors errs;                    /* why the change was rejected */
} hw_intake;

/* The event type a change is logged as ("referral.created", "visit.checked_in"). */
const char *hw_intake_event_type(hw_intake_kind kind);

/* Parse body[0..len) as JSON and check it for kind without the store. Returns 0,
 * or HW_EINVAL with every problem in in->errs (a syntax error names line and
 * column under the path ""). Always call hw_intake_free afterwards. */
int hw_intake_prepare(hw_intake *in, hw_intake_kind kind, const hw_scope *scope, hw_id target,
                      const char *body, size_t len, hw_time now);
/* The event payload: the request document plus the path id, as canonical JSON
 * (malloc'd; NULL when out of memory). */
char *hw_intake_payload(const hw_intake *in);
/* hw_store_tx_fn: apply the prepared change `ctx` (an hw_intake *). On success
 * *result is the JSON of the record as stored (what the API answers). Fails with
 * HW_EINVAL (bad field, in errs), HW_ENOTFOUND (no such target), HW_EFORBIDDEN
 * (outside the scope), HW_ECONFLICT (status transition not allowed, in errs), or
 * a store error. */
int hw_intake_apply(hw_store *st, void *ctx, char **result);
void hw_intake_free(hw_intake *in);

/* ---- Reads (run on a read-only handle) ----------------------------------- */

/* The referral, or discharge request, with this id as JSON (*out a new reference).
 * HW_ENOTFOUND, HW_EFORBIDDEN (its client's locality is outside the scope), or a
 * store error. */
int hw_intake_get_referral(hw_store *st, const hw_scope *scope, hw_id id, json_t **out);
int hw_intake_get_discharge(hw_store *st, const hw_scope *scope, hw_id id, json_t **out);
/* The discharge request id into *out when the caller may see and act on it: its
 * client's locality is in the scope and, for an owner-scoped (`discharge`) token,
 * that token created it. HW_ENOTFOUND, HW_EFORBIDDEN, or a store error. */
int hw_intake_discharge_check(hw_store *st, const hw_scope *scope, hw_id id, hw_discharge *out);
/* {"workers": [...]} of one locality (0 = every locality in the scope).
 * HW_EFORBIDDEN when locality_id is outside the scope. */
int hw_intake_list_workers(hw_store *st, const hw_scope *scope, hw_id locality_id, json_t **out);

#endif
