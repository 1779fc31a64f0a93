/*
 * JSON of the records of hw_store_roster.h (drafts and change notes), as the
 * events and the API write them. Encoders return a new reference, or NULL when
 * out of memory.
 */
#ifndef HW_CODEC_ROSTER_H
#define HW_CODEC_ROSTER_H

#include <jansson.h>

#include "hw_store_roster.h"

/* {"id","locality_id","date","status","created_at","created_by","decided_at",
 *  "decided_by","visits","assigned","travel_seconds"}. */
json_t *hw_draft_to_json(const hw_draft *d);
/* {"id","worker_id","date","published_at","kind","visit_id","from","to"}. */
json_t *hw_roster_note_to_json(const hw_roster_note *n);

#endif
