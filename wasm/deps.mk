# Static libraries for the wasm build, compiled from the sources curl-src/fetch.sh verified.
# Included by the top-level Makefile; every path here lives under the cache folder keyed by
# DEPS_KEY, so a change to this file, the manifest, the flags or emcc builds afresh. Files of
# the checkout are therefore never prerequisites by date: a fresh clone has new dates, and
# the key already says whether their content changed.

DEPS_CFLAGS := $(OPT) -DNDEBUG -Wno-unused-command-line-argument
LIB := $(DEPS)/lib
INC := $(DEPS)/include

# --- zlib: only inflate is used by curl ----------------------------------------------------
ZLIB_SRCS := adler32 crc32 inflate inffast inftrees zutil
ZLIB_OBJS := $(ZLIB_SRCS:%=$(DEPS)/obj/zlib/%.o)

$(DEPS)/obj/zlib/%.o: $(SRC)/zlib/%.c | $(SRC)/.fetched
	@mkdir -p $(@D)
	$(EMCC) $(DEPS_CFLAGS) -DHAVE_UNISTD_H -c $< -o $@

$(LIB)/libz.a: $(ZLIB_OBJS)
	@mkdir -p $(@D) $(INC)
	rm -f $@ && $(EMAR) rcs $@ $^
	cp $(SRC)/zlib/zlib.h $(SRC)/zlib/zconf.h $(INC)/

# --- brotli: the decoder only --------------------------------------------------------------
BROTLI_SRCS := common/constants common/context common/dictionary common/platform \
  common/shared_dictionary common/transform dec/bit_reader dec/decode dec/huffman dec/state
BROTLI_OBJS := $(BROTLI_SRCS:%=$(DEPS)/obj/brotli/%.o)

$(DEPS)/obj/brotli/%.o: $(SRC)/brotli/c/%.c | $(SRC)/.fetched
	@mkdir -p $(@D)
	$(EMCC) $(DEPS_CFLAGS) -I$(SRC)/brotli/c/include -c $< -o $@

$(LIB)/libbrotlidec.a: $(BROTLI_OBJS)
	@mkdir -p $(@D) $(INC)
	rm -f $@ && $(EMAR) rcs $@ $^
	cp -r $(SRC)/brotli/c/include/brotli $(INC)/

# --- zstd: decompression only, single-threaded ---------------------------------------------
ZSTD_SRCS := common/debug common/entropy_common common/error_private common/fse_decompress \
  common/xxhash common/zstd_common decompress/huf_decompress decompress/zstd_ddict \
  decompress/zstd_decompress decompress/zstd_decompress_block
ZSTD_OBJS := $(ZSTD_SRCS:%=$(DEPS)/obj/zstd/%.o)

$(DEPS)/obj/zstd/%.o: $(SRC)/zstd/lib/%.c | $(SRC)/.fetched
	@mkdir -p $(@D)
	$(EMCC) $(DEPS_CFLAGS) -DZSTD_DISABLE_ASM -DZSTD_MULTITHREAD=0 -DZSTD_LEGACY_SUPPORT=0 \
	  -c $< -o $@

$(LIB)/libzstd.a: $(ZSTD_OBJS)
	@mkdir -p $(@D) $(INC)
	rm -f $@ && $(EMAR) rcs $@ $^
	cp $(SRC)/zstd/lib/zstd.h $(SRC)/zstd/lib/zstd_errors.h $(INC)/

# --- nghttp2: the library, without its configure step --------------------------------------
NGHTTP2_SRCS := $(notdir $(basename $(wildcard $(SRC)/nghttp2/lib/*.c)))
NGHTTP2_OBJS := $(NGHTTP2_SRCS:%=$(DEPS)/obj/nghttp2/%.o)
NGHTTP2_VER_H := $(DEPS)/obj/nghttp2/nghttp2/nghttp2ver.h

$(NGHTTP2_VER_H): | $(SRC)/.fetched
	@mkdir -p $(@D)
	sed -e 's/@PACKAGE_VERSION@/$(NGHTTP2_VERSION)/' \
	  -e 's/@PACKAGE_VERSION_NUM@/$(NGHTTP2_VERSION_NUM)/' \
	  $(SRC)/nghttp2/lib/includes/nghttp2/nghttp2ver.h.in > $@

$(DEPS)/obj/nghttp2/%.o: $(SRC)/nghttp2/lib/%.c $(NGHTTP2_VER_H)
	$(EMCC) $(DEPS_CFLAGS) -DNGHTTP2_STATICLIB -DHAVE_ARPA_INET_H -DHAVE_NETINET_IN_H \
	  -DHAVE_UNISTD_H -I$(SRC)/nghttp2/lib/includes -I$(DEPS)/obj/nghttp2 -c $< -o $@

$(LIB)/libnghttp2.a: $(NGHTTP2_OBJS)
	@mkdir -p $(@D) $(INC)/nghttp2
	rm -f $@ && $(EMAR) rcs $@ $^
	cp $(SRC)/nghttp2/lib/includes/nghttp2/nghttp2.h $(NGHTTP2_VER_H) $(INC)/nghttp2/

# --- mbedTLS: every module, with the project's adjustments to the default config ----------
MBEDTLS_SRCS := $(notdir $(basename $(wildcard $(SRC)/mbedtls/library/*.c)))
MBEDTLS_OBJS := $(MBEDTLS_SRCS:%=$(DEPS)/obj/mbedtls/%.o)
MBEDTLS_CFLAGS := -I$(SRC)/mbedtls/include -I$(SRC)/mbedtls/library -Iwasm \
  -DMBEDTLS_USER_CONFIG_FILE='"mbedtls-user-config.h"'

$(DEPS)/obj/mbedtls/%.o: $(SRC)/mbedtls/library/%.c
	@mkdir -p $(@D)
	$(EMCC) $(DEPS_CFLAGS) $(MBEDTLS_CFLAGS) -c $< -o $@

$(LIB)/libmbedtls.a: $(MBEDTLS_OBJS)
	@mkdir -p $(@D) $(INC)
	rm -f $@ && $(EMAR) rcs $@ $^
	cp -r $(SRC)/mbedtls/include/mbedtls $(SRC)/mbedtls/include/psa $(INC)/
	cp wasm/mbedtls-user-config.h $(INC)/

# --- curl: CMake, since curl_config.h comes from its checks --------------------------------
CURL_BUILD := $(DEPS)/obj/curl

# check_type_size() misreads Emscripten's output (every size comes out as 9), so the sizes of
# wasm32 are given; they were printed by a program built with the same emcc.
CURL_SIZES := INT=4 LONG=4 LONG_LONG=8 SIZE_T=4 SSIZE_T=4 TIME_T=4 SUSECONDS_T=4 OFF_T=8 \
  CURL_OFF_T=8 CURL_SOCKET_T=4 SA_FAMILY_T=2 STRUCT_SOCKADDR_STORAGE=128
CURL_SIZE_FLAGS := $(foreach s,$(CURL_SIZES),-DHAVE_SIZEOF_$(word 1,$(subst =, ,$(s)))=TRUE \
  -DSIZEOF_$(s)) -DHAVE_SIZEOF___INT64=FALSE
CURL_CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$(DEPS_CFLAGS) \
    -DMBEDTLS_USER_CONFIG_FILE='\"mbedtls-user-config.h\"'" \
  -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
  -DBUILD_LIBCURL_DOCS=OFF -DBUILD_MISC_DOCS=OFF -DENABLE_CURL_MANUAL=OFF -DBUILD_EXAMPLES=OFF \
  -DCURL_DISABLE_INSTALL=ON -DCURL_USE_PKGCONFIG=OFF -DHTTP_ONLY=ON -DENABLE_IPV6=ON \
  -DENABLE_THREADED_RESOLVER=OFF -DENABLE_ARES=OFF -DENABLE_UNIX_SOCKETS=OFF \
  -DCURL_USE_LIBPSL=OFF -DCURL_USE_LIBSSH2=OFF -DUSE_LIBIDN2=OFF -DCURL_DISABLE_NETRC=ON \
  -DCURL_DISABLE_CA_SEARCH=ON -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none \
  -DCURL_USE_MBEDTLS=ON -DCURL_USE_OPENSSL=OFF \
  -DMBEDTLS_INCLUDE_DIR=$(INC) -DMBEDTLS_LIBRARY=$(LIB)/libmbedtls.a \
  -DMBEDX509_LIBRARY=$(LIB)/libmbedtls.a -DMBEDCRYPTO_LIBRARY=$(LIB)/libmbedtls.a \
  -DUSE_NGHTTP2=ON -DNGHTTP2_INCLUDE_DIR=$(INC) -DNGHTTP2_LIBRARY=$(LIB)/libnghttp2.a \
  -DCURL_ZLIB=ON -DZLIB_INCLUDE_DIR=$(INC) -DZLIB_LIBRARY=$(LIB)/libz.a \
  -DCURL_BROTLI=ON -DBROTLI_INCLUDE_DIR=$(INC) -DBROTLIDEC_LIBRARY=$(LIB)/libbrotlidec.a \
  -DBROTLICOMMON_LIBRARY=$(LIB)/libbrotlidec.a \
  -DCURL_ZSTD=ON -DZSTD_INCLUDE_DIR=$(INC) -DZSTD_LIBRARY=$(LIB)/libzstd.a $(CURL_SIZE_FLAGS)

$(LIB)/libcurl.a: $(LIB)/libz.a $(LIB)/libbrotlidec.a $(LIB)/libzstd.a $(LIB)/libnghttp2.a \
    $(LIB)/libmbedtls.a
	rm -rf $(CURL_BUILD) && mkdir -p $(CURL_BUILD)
	cd $(CURL_BUILD) && $(EMCMAKE) cmake $(SRC)/curl $(CURL_CMAKE_FLAGS) > cmake.log 2>&1 \
	  || { tail -40 cmake.log; exit 1; }
	$(MAKE) -C $(CURL_BUILD) libcurl_static
	cp $(CURL_BUILD)/lib/libcurl.a $@
	cp -r $(SRC)/curl/include/curl $(INC)/

deps-libs: $(LIB)/libcurl.a
