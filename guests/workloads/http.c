/* The http workload: a small HTTP/1.1 server on port 8080 (or the port given as
 * its one argument, for runs on the host beside others), one source for every
 * target (Linux, OSv, Unikraft with lwIP, and the host, where it measures the
 * load generator's ceiling). It prints the ready marker once listen() has
 * returned, answers GET / with a small fixed body and its Content-Length over
 * keep-alive connections, serves several connections at once with poll(), and
 * counts the requests it answers. GET /quit answers, waits (bounded) for the
 * client to close, prints "BENCHMARK_TOOL_SERVED <n>" (n: the requests answered
 * before it, the stop request not counted) and returns from main(), so that
 * the guest powers off and the run ends.
 *
 * The server never closes a connection first: it reads to EOF, then closes.
 * The side that closes first keeps the connection in TIME_WAIT; lwIP keeps it
 * for two minutes while the host reuses loopback source ports within seconds,
 * and through slirp (which carries the host's source port to the guest) a new
 * connection on a port still in TIME_WAIT stalls for 10 s or more. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT 8080
/* Connections served at once; more are accepted only as others end. */
#define MAX_CONNECTIONS 64
/* A request's head (request line and headers) must fit: the tool's and wrk's are far smaller. */
#define REQUEST_BYTES 4096
/* How long GET /quit waits for its client to close before exiting anyway. */
#define QUIT_LINGER_MS 1000

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static const char READY_LINE[] = "BENCHMARK_TOOL_READY\n";
static const char BODY[] = "benchmark-tool http workload\n";

struct connection {
	int fd;
	size_t used;
	char request[REQUEST_BYTES];
};

static struct connection connections[MAX_CONNECTIONS];
static struct pollfd polled[MAX_CONNECTIONS + 1];
static unsigned long long served;

static int write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t written = send(fd, data, length, MSG_NOSIGNAL);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return -1;
		data += written;
		length -= (size_t)written;
	}
	return 0;
}

static int respond(int fd, const char *status, const char *body)
{
	char response[256];
	int length = snprintf(response, sizeof response,
			      "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %u\r\n\r\n%s",
			      status, (unsigned)strlen(body), body);
	if (length < 0 || (size_t)length >= sizeof response)
		return -1;
	return write_all(fd, response, (size_t)length);
}

/* After the answer to GET /quit: wait (bounded) for the client to close, so
 * that the answer is delivered before the guest powers off. */
static void linger_until_closed(int fd)
{
	struct pollfd client = { .fd = fd, .events = POLLIN };
	char scratch[256];
	while (poll(&client, 1, QUIT_LINGER_MS) > 0 && read(fd, scratch, sizeof scratch) > 0)
		;
}

/* Not every libc has perror() (Unikraft's nolibc has not). */
static void report(const char *what)
{
	fprintf(stderr, "http: %s: %s\n", what, strerror(errno));
}

enum outcome { KEEP = 0, DROP = -1, STOP = 1 };

/* Answers every complete request head in the connection's buffer. DROP when
 * the connection can no longer be served (a request too large, a failed
 * write): it is then closed without waiting; STOP after GET /quit. */
static enum outcome answer_requests(struct connection *c)
{
	for (;;) {
		char *end = NULL;
		for (size_t i = 3; i < c->used; i++) {
			if (memcmp(c->request + i - 3, "\r\n\r\n", 4) == 0) {
				end = c->request + i + 1;
				break;
			}
		}
		if (!end)
			return c->used < sizeof c->request ? KEEP : DROP;

		int is_get = strncmp(c->request, "GET ", 4) == 0;
		const char *target = c->request + 4;
		if (is_get && strncmp(target, "/quit ", 6) == 0) {
			if (respond(c->fd, "200 OK", "bye\n") != 0)
				return DROP;
			linger_until_closed(c->fd);
			return STOP;
		}
		int status;
		if (is_get && strncmp(target, "/ ", 2) == 0)
			status = respond(c->fd, "200 OK", BODY);
		else if (is_get)
			status = respond(c->fd, "404 Not Found", "not found\n");
		else
			status = respond(c->fd, "405 Method Not Allowed", "only GET\n");
		if (status != 0)
			return DROP;
		served++;

		size_t consumed = (size_t)(end - c->request);
		memmove(c->request, end, c->used - consumed);
		c->used -= consumed;
	}
}

static void drop(int slot)
{
	close(connections[slot].fd);
	connections[slot].fd = -1;
	polled[slot + 1].fd = -1;
}

static void accept_connection(int listener)
{
	int fd = accept(listener, NULL, NULL);
	if (fd < 0)
		return;
	for (int slot = 0; slot < MAX_CONNECTIONS; slot++) {
		if (connections[slot].fd < 0) {
			connections[slot].fd = fd;
			connections[slot].used = 0;
			polled[slot + 1].fd = fd;
			polled[slot + 1].events = POLLIN;
			return;
		}
	}
	close(fd); /* Unreachable: the listener is not polled while every slot is taken. */
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : PORT;
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "http: '%s' is not a port (1 to 65535)\n", argv[1]);
		return 2;
	}
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0) {
		report("socket");
		return 1;
	}
	int reuse = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
	struct sockaddr_in address;
	memset(&address, 0, sizeof address);
	address.sin_family = AF_INET;
	address.sin_port = htons((unsigned short)port);
	address.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0) {
		report("bind");
		return 1;
	}
	if (listen(listener, 64) != 0) {
		report("listen");
		return 1;
	}
	if (write(STDOUT_FILENO, READY_LINE, sizeof READY_LINE - 1) != sizeof READY_LINE - 1)
		return 1;

	polled[0].fd = listener;
	polled[0].events = POLLIN;
	for (int slot = 0; slot < MAX_CONNECTIONS; slot++) {
		connections[slot].fd = -1;
		polled[slot + 1].fd = -1;
	}
	for (;;) {
		int open_connections = 0;
		for (int slot = 0; slot < MAX_CONNECTIONS; slot++)
			open_connections += connections[slot].fd >= 0;
		/* A negative fd is skipped by poll(): no accepting while every slot is taken. */
		polled[0].fd = open_connections < MAX_CONNECTIONS ? listener : -1;
		if (poll(polled, MAX_CONNECTIONS + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			report("poll");
			return 1;
		}
		if (polled[0].revents & POLLIN)
			accept_connection(listener);
		for (int slot = 0; slot < MAX_CONNECTIONS; slot++) {
			struct connection *c = &connections[slot];
			if (c->fd < 0 || !(polled[slot + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(c->fd, c->request + c->used, sizeof c->request - c->used);
			if (got < 0 && errno == EINTR)
				continue;
			/* EOF: the client closed first, as it should; or an error. Either way, done. */
			enum outcome outcome = DROP;
			if (got > 0) {
				c->used += (size_t)got;
				outcome = answer_requests(c);
			}
			if (outcome == STOP) {
				printf("BENCHMARK_TOOL_SERVED %llu\n", served);
				fflush(stdout);
				return 0;
			}
			if (outcome == DROP)
				drop(slot);
		}
	}
}
