/*
 * JSON of drafts and change notes (hw_codec_roster.h).
 */
#include "hw_codec_roster.h"

#include "hw_codec_reader.h"

json_t *hw_draft_to_json(const hw_draft *d) {
  return json_pack("{s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:s, s:i, s:i, s:I}", "id", (json_int_t)d->id, "locality_id",
                   (json_int_t)d->locality_id, "date", hw_json_date(d->date), "status",
                   hw_draft_status_name(d->status), "created_at", hw_json_time(d->created_at), "created_by",
                   d->created_by, "decided_at", hw_json_time(d->decided_at), "decided_by", d->decided_by, "visits",
                   d->visits, "assigned", d->assigned, "travel_seconds", (json_int_t)d->travel_seconds);
}

json_t *hw_roster_note_to_json(const hw_roster_note *n) {
  return json_pack("{s:I, s:I, s:o, s:o, s:s, s:I, s:o, s:o}", "id", (json_int_t)n->id, "worker_id",
                   (json_int_t)n->worker_id, "date", hw_json_date(n->date), "published_at",
                   hw_json_time(n->published_at), "kind", hw_note_kind_name(n->kind), "visit_id",
                   (json_int_t)n->visit_id, "from", hw_json_time(n->old_start), "to", hw_json_time(n->new_start));
}
