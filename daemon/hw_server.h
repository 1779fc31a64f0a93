/*
 * `homeward serve`: the event-driven HTTP/JSON service.
 *
 * One libuv loop thread accepts connections, parses requests (hw_http.h), routes
 * them (hw_router.h, hw_handlers.h), authenticates (hw_auth.h) and answers reads
 * from a read-only store handle; one writer thread (hw_writer.h) applies changes
 * in group commits; a one-second tick runs the periodic jobs (hw_timers.h).
 *
 * Limits answered with a problem document: body too large 413, headers too large
 * 431, a request not complete within request_timeout_ms 408, over
 * max_connections 503; each of these closes the connection after the answer.
 * An idle keep-alive connection is closed after idle_timeout_ms.
 *
 * SIGTERM / SIGINT: stop accepting, close idle connections, let in-flight
 * requests finish (their answers carry Connection: close) and the writer drain,
 * close the store (checkpointing the WAL), and return 0. After
 * shutdown_timeout_ms the remaining connections are closed; a change already
 * with the writer still completes or rolls back whole.
 */
#ifndef HW_SERVER_H
#define HW_SERVER_H

#include "hw_config.h"

/* Run until SIGTERM/SIGINT. Returns 0 after a clean shutdown, or a negative hw
 * error before serving: HW_EIO (the database cannot be opened), HW_EINVAL (bad
 * listen address, no db), HW_EBUSY (the address is in use); the reason is logged. */
int hw_server_run(const hw_config *cfg);

#endif
