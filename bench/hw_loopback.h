/*
 * Loopback helpers shared by the benchmarks that drive a real daemon
 * (bench_ingest.c, bench_d2a.c): pick a free port on 127.0.0.1 and connect to
 * one. Loopback only, by design: benchmarks never send traffic off the machine.
 * Header-only because each bench_*.c is a program of its own.
 */
#ifndef HW_LOOPBACK_H
#define HW_LOOPBACK_H

#include <arpa/inet.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

/* A port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
static inline int hw_bench_free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  bind(fd, (struct sockaddr *)&a, sizeof a);
  getsockname(fd, (struct sockaddr *)&a, &len);
  close(fd);
  return ntohs(a.sin_port);
}

/* A connected socket to 127.0.0.1:port, or -1. */
static inline int hw_bench_connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

#endif
