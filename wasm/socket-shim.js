/*
 * The socket syscalls libcurl makes, answered by the facade's socket table.
 *
 * Linked with --js-library. Each replacement below is a thin translator: it reads the C
 * arguments, calls Module.sockets (net/socket-table.ts, through the SocketHost interface in
 * src/ffi/module.ts) and turns its answer into a return value or -errno. The table speaks
 * POSIX errno names; the numbers of this libc are known only here.
 *
 * Every replacement declares its own __deps: leaving one out brings the stock SOCKFS back
 * (the build fails when the output mentions SOCKFS). Syscall replacements must never throw;
 * only stream_ops may, and FS turns that into -errno.
 *
 * Emscripten's tables lack SO_TYPE, FIONBIO and MSG_PEEK; their Linux values are used.
 */

var CurlWasmSockets = {
  $CW__deps: ['$FS'],
  $CW: {
    SO_TYPE: 3,
    FIONBIO: 0x5421,
    MSG_PEEK: 2,
    errno: {
      EAGAIN: {{{ cDefine('EAGAIN') }}},
      EINPROGRESS: {{{ cDefine('EINPROGRESS') }}},
      EALREADY: {{{ cDefine('EALREADY') }}},
      EISCONN: {{{ cDefine('EISCONN') }}},
      ENOTCONN: {{{ cDefine('ENOTCONN') }}},
      ECONNREFUSED: {{{ cDefine('ECONNREFUSED') }}},
      ECONNRESET: {{{ cDefine('ECONNRESET') }}},
      ECONNABORTED: {{{ cDefine('ECONNABORTED') }}},
      ETIMEDOUT: {{{ cDefine('ETIMEDOUT') }}},
      EHOSTUNREACH: {{{ cDefine('EHOSTUNREACH') }}},
      ENETUNREACH: {{{ cDefine('ENETUNREACH') }}},
      EADDRNOTAVAIL: {{{ cDefine('EADDRNOTAVAIL') }}},
      EPIPE: {{{ cDefine('EPIPE') }}},
      EBADF: {{{ cDefine('EBADF') }}},
      EINVAL: {{{ cDefine('EINVAL') }}},
      ENOMEM: {{{ cDefine('ENOMEM') }}},
      ENOTSOCK: {{{ cDefine('ENOTSOCK') }}},
      ENOTTY: {{{ cDefine('ENOTTY') }}},
      ENOPROTOOPT: {{{ cDefine('ENOPROTOOPT') }}},
      EAFNOSUPPORT: {{{ cDefine('EAFNOSUPPORT') }}},
      EPROTONOSUPPORT: {{{ cDefine('EPROTONOSUPPORT') }}},
      EOPNOTSUPP: {{{ cDefine('EOPNOTSUPP') }}},
    },

    // The table's answer: a count, or an errno name.
    toReturn: function(answer) {
      if (typeof answer === 'number') return answer;
      return -(CW.errno[answer] || CW.errno.EINVAL);
    },

    host: function() {
      return Module['sockets'];
    },

    isSocket: function(fd) {
      var stream = FS.getStream(fd);
      return !!(stream && stream.cwSocket);
    },

    heapView: function(ptr, len) {
      return HEAPU8.subarray(ptr, ptr + len);
    },

    streamOps: {
      read: function(stream, buffer, offset, length) {
        var view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
        var answer = CW.host().recv(stream.fd, view, false);
        if (typeof answer !== 'number') throw new FS.ErrnoError(CW.errno[answer]);
        return answer;
      },
      write: function(stream, buffer, offset, length) {
        var view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
        var answer = CW.host().send(stream.fd, view);
        if (typeof answer !== 'number') throw new FS.ErrnoError(CW.errno[answer]);
        return answer;
      },
      poll: function(stream) {
        var ready = CW.host().poll(stream.fd);
        var mask = 0;
        if (ready & 1) mask |= {{{ cDefine('POLLIN') }}};
        if (ready & 2) mask |= {{{ cDefine('POLLOUT') }}};
        if (ready & 4) mask |= {{{ cDefine('POLLERR') }}};
        if (ready & 8) mask |= {{{ cDefine('POLLHUP') }}};
        return mask;
      },
      close: function(stream) {
        CW.host().close(stream.fd);
      },
    },

    // sockaddr_in: family u16, port u16 (network order), 4 address bytes at 4.
    // sockaddr_in6: family u16, port u16, flowinfo u32, 16 address bytes at 8.
    readAddress: function(ptr, len) {
      var family = HEAPU16[ptr >> 1];
      var port = (HEAPU8[ptr + 2] << 8) | HEAPU8[ptr + 3];
      if (family === {{{ cDefine('AF_INET') }}} && len >= 16) {
        return { family: 4, port: port, bytes: HEAPU8.slice(ptr + 4, ptr + 8) };
      }
      if (family === {{{ cDefine('AF_INET6') }}} && len >= 28) {
        return { family: 6, port: port, bytes: HEAPU8.slice(ptr + 8, ptr + 24) };
      }
      return null;
    },

    writeAddress: function(address, ptr, lenPtr) {
      if (!ptr) return 0;
      var room = HEAP32[lenPtr >> 2];
      var size = address.family === 4 ? 16 : 28;
      if (room < size) return -CW.errno.EINVAL;
      HEAPU8.fill(0, ptr, ptr + size);
      HEAPU16[ptr >> 1] = address.family === 4 ?
        {{{ cDefine('AF_INET') }}} : {{{ cDefine('AF_INET6') }}};
      HEAPU8[ptr + 2] = address.port >> 8;
      HEAPU8[ptr + 3] = address.port & 255;
      HEAPU8.set(address.bytes, ptr + (address.family === 4 ? 4 : 8));
      HEAP32[lenPtr >> 2] = size;
      return 0;
    },
  },

  __syscall_socket__deps: ['$CW', '$FS'],
  __syscall_socket: function(domain, type, protocol) {
    var family = domain === {{{ cDefine('AF_INET') }}} ? 4 :
      domain === {{{ cDefine('AF_INET6') }}} ? 6 : 0;
    if (!family) return -CW.errno.EAFNOSUPPORT;
    // Datagram sockets are only ever opened to probe for IPv6 support (curl's
    // Curl_ipv6works); they can be made and closed, and refuse to connect.
    var kind = type & 15;
    var datagram = kind === {{{ cDefine('SOCK_DGRAM') }}};
    if (kind !== {{{ cDefine('SOCK_STREAM') }}} && !datagram) return -CW.errno.EPROTONOSUPPORT;
    try {
      var stream = FS.createStream({
        node: { mode: 49152 /* S_IFSOCK: FS.read and FS.write look at it */ },
        flags: {{{ cDefine('O_RDWR') }}} | {{{ cDefine('O_NONBLOCK') }}},
        seekable: false,
        position: 0,
        stream_ops: CW.streamOps,
        cwSocket: true,
      });
    } catch (e) {
      return -(e.errno || CW.errno.ENOMEM);
    }
    CW.host().open(stream.fd, family, datagram);
    return stream.fd;
  },

  __syscall_connect__deps: ['$CW'],
  __syscall_connect: function(fd, addr, addrlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    var address = CW.readAddress(addr, addrlen);
    if (!address) return -CW.errno.EAFNOSUPPORT;
    return CW.toReturn(CW.host().connect(fd, address));
  },

  __syscall_sendto__deps: ['$CW'],
  __syscall_sendto: function(fd, message, length, flags, addr, addrlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    return CW.toReturn(CW.host().send(fd, CW.heapView(message, length)));
  },

  __syscall_recvfrom__deps: ['$CW'],
  __syscall_recvfrom: function(fd, buf, len, flags, addr, addrlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    var peek = (flags & CW.MSG_PEEK) !== 0;
    return CW.toReturn(CW.host().recv(fd, CW.heapView(buf, len), peek));
  },

  // Binding to a local address or port (CURLOPT_INTERFACE, CURLOPT_LOCALPORT) has no
  // meaning for a transport stream.
  __syscall_bind__deps: ['$CW'],
  __syscall_bind: function(fd, addr, addrlen) {
    return CW.isSocket(fd) ? -CW.errno.EOPNOTSUPP : -CW.errno.ENOTSOCK;
  },

  __syscall_sendmsg__deps: ['$CW'],
  __syscall_sendmsg: function(fd, message, flags) {
    return -CW.errno.EOPNOTSUPP;
  },

  __syscall_recvmsg__deps: ['$CW'],
  __syscall_recvmsg: function(fd, message, flags) {
    return -CW.errno.EOPNOTSUPP;
  },

  __syscall_getsockopt__deps: ['$CW'],
  __syscall_getsockopt: function(fd, level, optname, optval, optlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    if (level !== {{{ cDefine('SOL_SOCKET') }}}) return -CW.errno.ENOPROTOOPT;
    var value;
    if (optname === {{{ cDefine('SO_ERROR') }}}) {
      var error = CW.host().takeError(fd);
      value = error ? CW.errno[error] || CW.errno.EINVAL : 0;
    } else if (optname === CW.SO_TYPE) {
      value = {{{ cDefine('SOCK_STREAM') }}};
    } else {
      return -CW.errno.ENOPROTOOPT;
    }
    HEAP32[optval >> 2] = value;
    HEAP32[optlen >> 2] = 4;
    return 0;
  },

  __syscall_getsockname__deps: ['$CW'],
  __syscall_getsockname: function(fd, addr, addrlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    return CW.writeAddress(CW.host().localAddress(fd), addr, addrlen);
  },

  __syscall_getpeername__deps: ['$CW'],
  __syscall_getpeername: function(fd, addr, addrlen) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    var address = CW.host().remoteAddress(fd);
    if (!address) return -CW.errno.ENOTCONN;
    return CW.writeAddress(address, addr, addrlen);
  },

  __syscall_fcntl64__deps: ['$CW', '$FS'],
  __syscall_fcntl64: function(fd, cmd, varargs) {
    var stream = FS.getStream(fd);
    if (!stream) return -CW.errno.EBADF;
    switch (cmd) {
      case {{{ cDefine('F_GETFL') }}}:
        return stream.flags;
      case {{{ cDefine('F_SETFL') }}}:
        stream.flags = HEAP32[varargs >> 2];
        return 0;
      case {{{ cDefine('F_GETFD') }}}:
      case {{{ cDefine('F_SETFD') }}}:
        return 0;
      default:
        return -CW.errno.EINVAL;
    }
  },

  __syscall_ioctl__deps: ['$CW', '$FS'],
  __syscall_ioctl: function(fd, op, varargs) {
    if (!FS.getStream(fd)) return -CW.errno.EBADF;
    if (!CW.isSocket(fd)) return -CW.errno.ENOTTY;
    if (op === CW.FIONBIO) return 0; // always non-blocking
    if (op === {{{ cDefine('FIONREAD') }}}) {
      HEAP32[HEAP32[varargs >> 2] >> 2] = CW.host().queued(fd);
      return 0;
    }
    return -CW.errno.EINVAL;
  },

  cw_js_shutdown__deps: ['$CW'],
  cw_js_shutdown: function(fd, how) {
    if (!CW.isSocket(fd)) return -CW.errno.ENOTSOCK;
    return CW.toReturn(CW.host().shutdown(fd, how));
  },

  cw_js_name_to_address__deps: ['$CW'],
  cw_js_name_to_address: function(name, family, out) {
    var want = family === {{{ cDefine('AF_INET6') }}} ? 6 :
      family === {{{ cDefine('AF_INET') }}} ? 4 : 0;
    var address = CW.host().addressFor(UTF8ToString(name), want);
    if (!address) return 0;
    HEAPU8.set(address.bytes, out);
    return address.family === 6 ? {{{ cDefine('AF_INET6') }}} : {{{ cDefine('AF_INET') }}};
  },

  // curl's callbacks, routed by wasm/curl-glue.c to the facade.
  cw_js_socket_owner: function(fd, easy) {
    Module['hooks'].socketOwner(fd, easy);
  },
  cw_js_write: function(easy, data, len) {
    return Module['hooks'].write(easy, data, len);
  },
  cw_js_header: function(easy, data, len) {
    return Module['hooks'].header(easy, data, len);
  },
  cw_js_read: function(easy, buffer, len) {
    return Module['hooks'].read(easy, buffer, len);
  },
  cw_js_xferinfo: function(easy, dltotal, dlnow, ultotal, ulnow) {
    return Module['hooks'].xferinfo(easy, dltotal, dlnow, ultotal, ulnow);
  },
  cw_js_debug: function(easy, type, data, len) {
    return Module['hooks'].debug(easy, type, data, len);
  },
  cw_js_seek: function(easy, offset, origin) {
    return Module['hooks'].seek(easy, offset, origin);
  },
  cw_js_trailer: function(easy, list) {
    return Module['hooks'].trailer(easy, list);
  },
  cw_js_prereq: function(easy, primaryIp, localIp, primaryPort, localPort) {
    return Module['hooks'].prereq(easy, primaryIp, localIp, primaryPort, localPort);
  },
  cw_js_multi_socket: function(multi, easy, fd, what) {
    return Module['hooks'].multiSocket(multi, easy, fd, what);
  },
  cw_js_multi_timer: function(multi, timeoutMs) {
    return Module['hooks'].multiTimer(multi, timeoutMs);
  },
  cw_js_mime_read: function(source, buffer, len) {
    return Module['hooks'].mimeRead(source, buffer, len);
  },
  cw_js_mime_seek: function(source, offset, origin) {
    return Module['hooks'].mimeSeek(source, offset, origin);
  },
  cw_js_mime_free: function(source) {
    Module['hooks'].mimeFree(source);
  },
};

mergeInto(LibraryManager.library, CurlWasmSockets);
