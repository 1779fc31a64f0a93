/*
 * The SQLite store: the partnership's tables and the append-only event log, in one
 * database file. Every sqlite3_ call of the project lives under data/.
 *
 * Guarantees (docs/store.md has the long form):
 * - The schema is created and upgraded by numbered migrations (PRAGMA user_version)
 *   when the store opens; WAL mode, foreign keys on, a busy timeout, prepared
 *   statements only.
 * - Every change goes through hw_store_apply: the event row and the table updates
 *   commit in one transaction, or nothing does. A rejected change (the callback
 *   returns an error) leaves the database exactly as it was.
 * - Idempotency: an event whose (actor, idempotency_key) is already in the log is
 *   not applied again; hw_store_apply returns the first result and changes nothing.
 * - Durability: with synchronous=FULL (the default here) a change is on disk when
 *   hw_store_apply (or hw_store_batch_commit) returns 0; with NORMAL it survives a
 *   process crash but a power loss may undo the last commits.
 *
 * A store handle is used by one thread at a time.
 */
#ifndef HW_STORE_H
#define HW_STORE_H

#include <stddef.h>

#include "hw_domain.h"

typedef struct hw_store hw_store;

typedef enum hw_sync_mode { HW_SYNC_FULL = 0, HW_SYNC_NORMAL, HW_SYNC_OFF } hw_sync_mode;

typedef struct hw_store_options {
  hw_sync_mode sync;         /* default FULL */
  int32_t busy_timeout_ms;   /* default 5000 */
  int32_t read_only;         /* open without migrating or writing */
} hw_store_options;

void hw_store_options_init(hw_store_options *o);

/* Open (creating if needed) and migrate to the latest schema. Returns 0, or
 * HW_EIO / HW_EINVAL with a reason in msg (e.g. a newer schema than this program). */
int hw_store_open(const char *path, const hw_store_options *o, hw_store **out,
                  char *msg, size_t msg_len);
/* Close; checkpoints the WAL. NULL is fine. */
void hw_store_close(hw_store *st);
int hw_store_schema_version(hw_store *st);
/* The current schema version this program migrates to. */
int hw_store_latest_schema(void);
/* Run a passive WAL checkpoint (the daemon's timer calls it). */
int hw_store_checkpoint(hw_store *st);
/* The last error message SQLite reported on this handle (for logs). */
const char *hw_store_errmsg(hw_store *st);

/* ---- Changes and the event log -------------------------------------------- */

/* Called inside the transaction to update the tables. Return 0 and optionally
 * set *result to a malloc'd JSON text (stored with the event and returned on
 * replay), or a negative hw error to reject the whole change. */
typedef int (*hw_store_tx_fn)(hw_store *st, void *ctx, char **result);

typedef struct hw_apply_result {
  int64_t event_seq;         /* the event's position in the log */
  int32_t replayed;          /* 1: the idempotency key was seen; nothing changed */
  char *result;              /* the stored result JSON (malloc'd, may be NULL); caller frees */
} hw_apply_result;

/* Apply one change: ev->type, actor, idempotency_key, received_at, locality_id and
 * payload describe the event; fn updates the tables. When ev->payload is NULL the
 * event's payload is fn's result (which must then be set): a change that writes
 * the records it stored, with the ids they got. On success returns 0 with res
 * filled. If fn fails, returns its error and the database is unchanged. */
int hw_store_apply(hw_store *st, const hw_event *ev, hw_store_tx_fn fn, void *ctx,
                   hw_apply_result *res);

/* Group commit: between batch_begin and batch_commit, each hw_store_apply runs in a
 * savepoint of one outer transaction (a failing change rolls back only itself) and
 * nothing is durable until batch_commit returns 0. batch_rollback undoes them all. */
int hw_store_batch_begin(hw_store *st);
/* 1 while a batch is open on st. */
int hw_store_in_batch(const hw_store *st);
int hw_store_batch_commit(hw_store *st);
void hw_store_batch_rollback(hw_store *st);

/* Events with seq > after, oldest first, at most max. Fills out[0..*n) (payloads
 * malloc'd; free with hw_event_free_array). */
int hw_store_events_after(hw_store *st, int64_t after, int32_t max, hw_event *out, int32_t *n);
/* The same, keeping only the events of localities[0..n_localities) (events of no
 * locality, the partnership-wide ones, are left out too). */
int hw_store_events_after_in(hw_store *st, int64_t after, int32_t max, const hw_id *localities,
                             int32_t n_localities, hw_event *out, int32_t *n);
/* The seq of the newest event (0 when the log is empty), or a negative hw error. */
int64_t hw_store_last_seq(hw_store *st);
void hw_event_free_array(hw_event *evs, int32_t n);
/* Number of events in the log, or a negative hw error (HW_EIO, HW_EBUSY). */
int64_t hw_store_event_count(hw_store *st);

/* ---- Read snapshots (store_snapshot.c) -------------------------------------------
 * Work done off the writer thread (a D2A offer, a plan's solve) reads through its
 * own handle inside a snapshot: every read until snapshot_end sees the database as
 * of one commit, whatever the writer commits meanwhile. */

/* Open a read transaction on st. Returns the seq of the newest event it sees (0
 * for an empty log), or HW_EINVAL inside a batch or change, or a store error. */
int64_t hw_store_snapshot_begin(hw_store *st);
/* End it (nothing was written; the writer's checkpoints may proceed). */
void hw_store_snapshot_end(hw_store *st);

/* ---- Tables ----------------------------------------------------------------- */
/* insert_* assign v->id; update_* replace by id (HW_ENOTFOUND if absent);
 * get_* fill v by id (HW_ENOTFOUND). Constraint failures (unknown foreign key,
 * duplicate) return HW_ECONFLICT or HW_EINVAL with hw_store_errmsg set. */
#define HW_STORE_DECLARE(type)                                                   \
  int hw_store_insert_##type(hw_store *st, hw_##type *v);                        \
  int hw_store_update_##type(hw_store *st, const hw_##type *v);                  \
  int hw_store_get_##type(hw_store *st, hw_id id, hw_##type *v);
HW_STORE_DECLARE(locality)
HW_STORE_DECLARE(team)
HW_STORE_DECLARE(worker)
HW_STORE_DECLARE(absence)
HW_STORE_DECLARE(client)
HW_STORE_DECLARE(referral)
HW_STORE_DECLARE(discharge)
HW_STORE_DECLARE(visit)
HW_STORE_DECLARE(review)
#undef HW_STORE_DECLARE

/* Replace the roster of one worker on one day (entries in visiting order). */
int hw_store_put_roster(hw_store *st, hw_id worker_id, hw_date date,
                        const hw_roster_entry *entries, int32_t n);
/* The roster of one worker on one day; *out malloc'd, caller frees. */
int hw_store_get_roster(hw_store *st, hw_id worker_id, hw_date date,
                        hw_roster_entry **out, int32_t *n);

/* Load everything (localities, teams, workers, absences, clients, referrals,
 * discharges) into p (arrays malloc'd, ordered by id). */
int hw_store_load_partnership(hw_store *st, hw_partnership *p);
/* Insert a whole partnership in one transaction, one "<entity>.created" event per
 * record (actor given). Records keep the ids they have in p (the generator numbers
 * each kind from 1), so cross references stay valid; HW_ECONFLICT if an id is taken
 * (the store should be empty). */
int hw_store_save_partnership(hw_store *st, hw_partnership *p, const char *actor, hw_time now);

/* ---- List queries (added by the store; the daemon and scheduler read with these) --
 * Each fills *out with a malloc'd array of *n records (NULL when *n == 0; the caller
 * frees with free()), children included (skills, shifts, templates, ...). Returns 0,
 * or HW_EIO / HW_ENOMEM with hw_store_errmsg set; *out is NULL and *n 0 on failure. */

/* Every locality, ordered by id. */
int hw_store_list_localities(hw_store *st, hw_locality **out, int32_t *n);
/* Teams of one locality (0 = all), ordered by id. */
int hw_store_list_teams(hw_store *st, hw_id locality_id, hw_team **out, int32_t *n);
/* Workers whose team is in the locality (0 = all), active or not, ordered by id. */
int hw_store_list_workers(hw_store *st, hw_id locality_id, hw_worker **out, int32_t *n);
/* Clients of one locality (0 = all), ordered by id. */
int hw_store_list_clients(hw_store *st, hw_id locality_id, hw_client **out, int32_t *n);
/* Absences of one worker (0 = every worker) that overlap [from, to), ordered by id. */
int hw_store_list_absences(hw_store *st, hw_id worker_id, hw_time from, hw_time to,
                           hw_absence **out, int32_t *n);
/* Discharge requests with the given status (-1 = all), ordered by id. */
int hw_store_list_discharges(hw_store *st, int status, hw_discharge **out, int32_t *n);
/* Referrals of one client (0 = all clients), ordered by id. */
int hw_store_list_referrals(hw_store *st, hw_id client_id, hw_referral **out, int32_t *n);
/* Referrals with the given status (-1 = any) of clients in the locality (0 = any),
 * oldest received first (the waiting list's order). */
int hw_store_list_referrals_where(hw_store *st, int status, hw_id locality_id, hw_referral **out, int32_t *n);
/* Visits of one referral (or one client) dated from..to, by date and window. */
int hw_store_list_referral_visits(hw_store *st, hw_id referral_id, hw_date from, hw_date to, hw_visit **out,
                                  int32_t *n);
int hw_store_list_client_visits(hw_store *st, hw_id client_id, hw_date from, hw_date to, hw_visit **out,
                                int32_t *n);
/* The reviews of one referral, oldest first. */
int hw_store_list_reviews(hw_store *st, hw_id referral_id, hw_review **out, int32_t *n);
/* The client holding CHI number chi: 0 with *id, HW_ENOTFOUND, or a store error. */
int hw_store_find_client_by_chi(hw_store *st, const char *chi, hw_id *id);
/* Visits dated date_from..date_to (both inclusive) of clients in the locality
 * (0 = all), ordered by date, window start, id. */
int hw_store_list_visits(hw_store *st, hw_date date_from, hw_date date_to, hw_id locality_id,
                         hw_visit **out, int32_t *n);
/* What a locality's teams serve - the work its rosters are planned from. A
 * referral (and its visits) is served by the locality of its team, or, with no
 * team yet, by its client's; so a client of one locality whom a neighbouring
 * locality's team has taken on is served there. Visits dated from..to by date,
 * window start, id; referrals and clients (its own and those it serves) by id. */
int hw_store_list_served_visits(hw_store *st, hw_id locality_id, hw_date from, hw_date to, hw_visit **out,
                                int32_t *n);
int hw_store_list_served_referrals(hw_store *st, hw_id locality_id, hw_referral **out, int32_t *n);
int hw_store_list_served_clients(hw_store *st, hw_id locality_id, hw_client **out, int32_t *n);

/* ---- The D2A reserve table (migration 5) ------------------------------------------ */

/* Replace, for every locality among rows[0..n), all its rows with those given.
 * Returns 0, HW_EINVAL (a row out of range or an unknown locality: nothing
 * changed) or a store error. Call inside a change to keep it with its event. */
int hw_store_put_reserve(hw_store *st, const hw_reserve_row *rows, int32_t n);
/* The rows of one locality (0 = all), by locality, weekday, peak. */
int hw_store_list_reserve(hw_store *st, hw_id locality_id, hw_reserve_row **out, int32_t *n);

/* ---- API tokens (added by the store for the daemon's auth) -----------------------
 * The store keeps only a hash of each token (hex text chosen by the daemon), never
 * the token itself. */

typedef struct hw_token_row {
  hw_id id;
  char name[HW_NAME_MAX];      /* unique, e.g. "airdrie-coordinator" */
  char role[16];               /* "admin", "coordinator", "discharge", "reader", ... */
  char localities[128];        /* comma list of locality ids, "" = every locality */
  int32_t revoked;             /* 1 once revoked */
  hw_id worker_id;             /* a worker's own token: that worker, else 0 */
} hw_token_row;

/* Record a new token. name 1..63 chars, role 1..15, localities (NULL = "") up to 127,
 * hash_hex non-empty. Returns 0 with *id set; HW_EINVAL naming the bad argument;
 * HW_ECONFLICT when the name or the hash is already stored. */
int hw_store_insert_token(hw_store *st, const char *name, const char *role,
                          const char *localities, const char *hash_hex, hw_time now, hw_id *id);
/* Record a `worker` role token bound to worker_id, in one statement. Returns as
 * hw_store_insert_token, or HW_ECONFLICT when there is no such worker. */
int hw_store_insert_worker_token(hw_store *st, const char *name, const char *localities, const char *hash_hex,
                                 hw_time now, hw_id worker_id, hw_id *id);
/* The token whose hash is hash_hex (revoked ones too: check out->revoked).
 * Returns 0, HW_ENOTFOUND, or HW_EIO. */
int hw_store_find_token(hw_store *st, const char *hash_hex, hw_token_row *out);
/* Mark the named token revoked at now. Returns 0, HW_ENOTFOUND (no such name, or
 * already revoked), or HW_EIO. */
int hw_store_revoke_token(hw_store *st, const char *name, hw_time now);

/* ---- Idempotent API requests (store_requests.c) --------------------------------
 * The answer of each write sent with an Idempotency-Key, kept with what identifies
 * the request, so that a retry gets the same answer and a reuse of the key for
 * something else can be told apart. Written inside the change it answers. */

typedef struct hw_request_row {
  char actor[64];
  char key[80];
  char method[8];              /* "POST", "PATCH", ... */
  char route[64];              /* the route pattern, "/v1/discharges/{id}/cancel" */
  char path[160];              /* the request path, "/v1/discharges/7/cancel" */
  char body_sha256[65];        /* hex SHA-256 of the body */
  int32_t status;              /* the HTTP status answered */
  hw_id locality_id;           /* the locality of the record answered, 0 = none */
  hw_time created_at;
  char *answer;                /* the answer body (JSON text, malloc'd) */
} hw_request_row;

/* Look (actor, key) up: 1 with *out filled (out->answer malloc'd, free it), 0 when
 * unknown, or a store error. */
int hw_store_request_find(hw_store *st, const char *actor, const char *key, hw_request_row *out);
/* Record a request's answer. HW_ECONFLICT when (actor, key) is taken; HW_EINVAL for
 * an empty key or answer. Call inside the change (or group) that the answer is for. */
int hw_store_request_put(hw_store *st, const hw_request_row *r);

/* ---- Discharge owners and change groups (store_owner.c) -------------------------- */

/* Record that API token token_id created discharge request discharge_id. Call
 * inside a change. Returns 0, HW_ECONFLICT (already owned, or no such discharge or
 * token), or a store error. */
int hw_store_set_discharge_owner(hw_store *st, hw_id discharge_id, hw_id token_id);
/* The token that created the discharge request: *token_id 0 when none is recorded.
 * Returns 0 or a store error. */
int hw_store_get_discharge_owner(hw_store *st, hw_id discharge_id, hw_id *token_id);

/* A group of changes inside a batch (hw_store_batch_begin): several hw_store_apply
 * calls that keep or lose their events together. group_end(st, rc) keeps them when
 * rc == 0, otherwise undoes every change of the group (the rest of the batch stays);
 * it returns rc, or the release's error. group_begin returns HW_EINVAL outside a
 * batch or inside a change, else 0 or a store error. */
int hw_store_group_begin(hw_store *st);
int hw_store_group_end(hw_store *st, int rc);

#endif
