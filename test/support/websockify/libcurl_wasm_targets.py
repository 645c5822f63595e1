# A token plugin for websockify, loaded with --token-plugin, for the interop tests: the token
# is the target itself ('host:port' or '[v6]:port'), and host names resolve only through a
# table of test names, so websockify never sends a DNS query off this machine.
import socket

from websockify.token_plugins import BasePlugin

TEST_NAMES = {'origin.test': '127.0.0.1'}
_system_getaddrinfo = socket.getaddrinfo


def _is_literal(host):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return True
        except (OSError, TypeError):
            pass
    return False


def _test_getaddrinfo(host, *args, **kwargs):
    if host is None or _is_literal(host):
        return _system_getaddrinfo(host, *args, **kwargs)
    if host in TEST_NAMES:
        return _system_getaddrinfo(TEST_NAMES[host], *args, **kwargs)
    raise socket.gaierror(socket.EAI_NONAME, 'test resolver: no such host %s' % host)


socket.getaddrinfo = _test_getaddrinfo


class TargetIsToken(BasePlugin):
    def lookup(self, token):
        host, _, port = token.rpartition(':')
        if host.startswith('[') and host.endswith(']'):
            host = host[1:-1]
        return [host, port]
