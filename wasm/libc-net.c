/***************************************************************************
 * libc network functions that Emscripten 3.1.6 implements as strong C stubs
 * (or in ways that do not fit us), replaced for the whole module.
 *
 * Ownership: getaddrinfo() returns one malloc'ed block per list node, and
 * freeaddrinfo() frees every node of the list (Emscripten's own frees only
 * the first). Nothing else here allocates.
 *
 * Names are never resolved inside wasm: a host name gets a synthetic address
 * from the socket shim's pool (wasm/socket-shim.js), and connect() turns it
 * back into the name for the transport, which resolves it.
 ***************************************************************************/

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Implemented in wasm/socket-shim.js. */
extern int cw_js_name_to_address(const char *name, int family,
                                 unsigned char *out);
extern int cw_js_shutdown(int fd, int how);

struct node {
  struct addrinfo ai;
  struct sockaddr_storage addr;
  char name[];
};

static int parse_port(const char *service, unsigned short *port)
{
  char *end;
  unsigned long value;

  *port = 0;
  if(!service || !*service)
    return 0;
  value = strtoul(service, &end, 10);
  if(*end || value > 65535)
    return EAI_SERVICE;
  *port = (unsigned short)value;
  return 0;
}

/* An IP literal is used as it is; a name gets a synthetic address of the
 * family asked for. */
static int pick_address(const char *host, int family, int numeric_only,
                        unsigned char *bytes)
{
  if(family != AF_INET6 && inet_pton(AF_INET, host, bytes) == 1)
    return AF_INET;
  if(family != AF_INET && inet_pton(AF_INET6, host, bytes) == 1)
    return AF_INET6;
  if(numeric_only)
    return 0;
  return cw_js_name_to_address(host, family, bytes);
}

static struct node *new_node(const char *host, int family,
                             const unsigned char *bytes, unsigned short port,
                             const struct addrinfo *hints)
{
  size_t namelen = strlen(host) + 1;
  struct node *n = calloc(1, sizeof(*n) + namelen);

  if(!n)
    return NULL;
  if(family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&n->addr;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    memcpy(&sin->sin_addr, bytes, 4);
    n->ai.ai_addrlen = sizeof(*sin);
  }
  else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&n->addr;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    memcpy(&sin6->sin6_addr, bytes, 16);
    n->ai.ai_addrlen = sizeof(*sin6);
  }
  n->ai.ai_family = family;
  n->ai.ai_socktype = hints && hints->ai_socktype ?
                      hints->ai_socktype : SOCK_STREAM;
  n->ai.ai_protocol = IPPROTO_TCP;
  n->ai.ai_addr = (struct sockaddr *)&n->addr;
  memcpy(n->name, host, namelen);
  if(hints && (hints->ai_flags & AI_CANONNAME))
    n->ai.ai_canonname = n->name;
  return n;
}

static int is_literal(const char *host)
{
  unsigned char bytes[16];
  return inet_pton(AF_INET, host, bytes) == 1 ||
         inet_pton(AF_INET6, host, bytes) == 1;
}

/* For a name and AF_UNSPEC the list holds an IPv4 and an IPv6 address:
 * CURL_IPRESOLVE_V6 resolves with AF_UNSPEC and filters afterwards, so a
 * list of one family would fail it. Both lead to the same name. */
int getaddrinfo(const char *host, const char *service,
                const struct addrinfo *hints, struct addrinfo **res)
{
  int family = hints ? hints->ai_family : AF_UNSPEC;
  int numeric_only = hints && (hints->ai_flags & AI_NUMERICHOST);
  int both = family == AF_UNSPEC && host && !is_literal(host);
  unsigned char bytes[16];
  unsigned short port;
  struct node *n;
  int rc;

  *res = NULL;
  if(!host)
    return EAI_NONAME;
  if(family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
    return EAI_FAMILY;
  rc = parse_port(service, &port);
  if(rc)
    return rc;

  family = pick_address(host, both ? AF_INET : family, numeric_only, bytes);
  if(!family)
    return EAI_NONAME;
  n = new_node(host, family, bytes, port, hints);
  if(!n)
    return EAI_MEMORY;
  *res = &n->ai;

  if(both && pick_address(host, AF_INET6, 0, bytes) == AF_INET6) {
    struct node *six = new_node(host, AF_INET6, bytes, port, hints);
    if(!six) {
      freeaddrinfo(*res);
      *res = NULL;
      return EAI_MEMORY;
    }
    n->ai.ai_next = &six->ai;
  }
  return 0;
}

void freeaddrinfo(struct addrinfo *ai)
{
  while(ai) {
    struct addrinfo *next = ai->ai_next;
    free(ai); /* the addrinfo is the first member of its node */
    ai = next;
  }
}

/* Options have no meaning for a transport stream; Nagle is always off. */
int setsockopt(int fd, int level, int name, const void *value,
               socklen_t len)
{
  (void)fd; (void)level; (void)name; (void)value; (void)len;
  return 0;
}

int shutdown(int fd, int how)
{
  int rc = cw_js_shutdown(fd, how);

  if(rc < 0) {
    errno = -rc;
    return -1;
  }
  return 0;
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
  (void)domain; (void)type; (void)protocol; (void)fds;
  errno = EOPNOTSUPP;
  return -1;
}
