# Links the glue in wasm/ with the static libraries into dist/wasm/libcurl.{mjs,wasm}.
# Included by the top-level Makefile after wasm/deps.mk. The module is cached under its own
# key: the deps' key, everything in wasm/, the CA bundle and these flags.

GLUE := wasm/curl-glue.c wasm/libc-net.c wasm/tls-alpn.c
SHIM := wasm/socket-shim.js

# Exported C functions: the list the facade's typed bindings (CurlExports in src/ffi/module.ts)
# expect. Functions with fixed signatures are exported as they are; variadic ones and those
# taking callbacks or curl_off_t go through a cw_ wrapper in wasm/curl-glue.c.
EXPORTS := _malloc _free \
  _curl_easy_init _curl_easy_cleanup _curl_easy_reset _curl_easy_duphandle _curl_easy_pause \
  _curl_easy_strerror _curl_easy_upkeep _curl_easy_send _curl_easy_recv \
  _curl_easy_header _curl_easy_nextheader \
  _curl_url _curl_url_cleanup _curl_url_dup _curl_url_get _curl_url_set _curl_url_strerror \
  _curl_mime_init _curl_mime_free _curl_mime_addpart _curl_mime_name _curl_mime_filename \
  _curl_mime_type _curl_mime_data _curl_mime_headers _cw_mime_data_cb \
  _curl_multi_init _curl_multi_cleanup _curl_multi_add_handle _curl_multi_remove_handle \
  _curl_multi_strerror _curl_multi_wakeup \
  _curl_share_init _curl_share_cleanup _curl_share_strerror \
  _curl_slist_append _curl_slist_free_all _curl_free \
  _cw_easy_defaults _cw_easy_route _cw_easy_setopt_long _cw_easy_setopt_ptr \
  _cw_easy_setopt_off _cw_easy_setopt_blob _cw_easy_getinfo \
  _cw_multi_route_events _cw_multi_setopt_long _cw_multi_perform _cw_multi_socket_action \
  _cw_multi_timeout _cw_multi_info_read _cw_multi_fdset _cw_share_setopt_long \
  _cw_ca_bundle_data _cw_ca_bundle_size _cw_version_json _cw_heap_in_use \
  _cw_ws_send _cw_ws_recv _cw_alpn_new _cw_alpn_free _cw_easy_set_alpn _cw_tls_alpn
comma := ,
empty :=
space := $(empty) $(empty)

LINK_FLAGS := $(OPT) -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createCurlModule \
  -sENVIRONMENT=web,worker -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216 \
  -sTOTAL_STACK=1048576 -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=1 -sASSERTIONS=0 \
  -sEXPORTED_FUNCTIONS=$(subst $(space),$(comma),$(EXPORTS)) \
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8 \
  --js-library $(SHIM)

MODULE_KEY := $(call hash,echo $(DEPS_KEY); cat $(GLUE) $(SHIM) wasm/module.mk; \
  cat $(sort $(wildcard $(CA_DIR)/*.crt)); echo '$(LINK_FLAGS)')
MODULE := $(CACHE)/module-$(MODULE_KEY)

# Checkout files are order-only here: MODULE_KEY already covers their content (see deps.mk).
$(MODULE)/ca-bundle.c:
	@mkdir -p $(@D)
	scripts/embed-ca-bundle.sh $(CA_DIR) > $@.tmp && mv $@.tmp $@

$(MODULE)/libcurl.mjs: $(MODULE)/ca-bundle.c $(LIB)/libcurl.a | $(GLUE) $(SHIM)
	$(EMCC) $(OPT) -I$(INC) -DCURL_STATICLIB -c wasm/curl-glue.c -o $(MODULE)/curl-glue.o
	$(EMCC) $(OPT) -c wasm/libc-net.c -o $(MODULE)/libc-net.o
	$(EMCC) $(OPT) -I$(INC) -DCURL_STATICLIB \
	  -DMBEDTLS_USER_CONFIG_FILE='"mbedtls-user-config.h"' -c wasm/tls-alpn.c \
	  -o $(MODULE)/tls-alpn.o
	$(EMCC) $(OPT) -c $(MODULE)/ca-bundle.c -o $(MODULE)/ca-bundle.o
	$(EMCC) $(LINK_FLAGS) $(MODULE)/curl-glue.o $(MODULE)/libc-net.o $(MODULE)/tls-alpn.o \
	  $(MODULE)/ca-bundle.o \
	  $(LIB)/libcurl.a $(LIB)/libnghttp2.a $(LIB)/libmbedtls.a $(LIB)/libbrotlidec.a \
	  $(LIB)/libzstd.a $(LIB)/libz.a -o $(MODULE)/libcurl.tmp.mjs
	@# The stock socket layer must stay out: everything it would do is ours.
	@if grep -q SOCKFS $(MODULE)/libcurl.tmp.mjs; then \
	  echo "error: the module links Emscripten's SOCKFS; a socket syscall lost its override"; \
	  exit 1; fi
	mv $(MODULE)/libcurl.tmp.wasm $(MODULE)/libcurl.wasm
	@# The facade hands the module its compiled wasm; Emscripten's own reference to the file
	@# would only make bundlers emit (or inline) it a second time.
	sed -e 's|new URL("libcurl\.tmp\.wasm",import\.meta\.url)\.toString()|"libcurl.wasm"|' \
	  -e 's/libcurl\.tmp\.wasm/libcurl.wasm/g' $(MODULE)/libcurl.tmp.mjs > $@
	@if grep -q 'new URL("libcurl' $@; then \
	  echo "error: the module still builds the wasm URL from import.meta.url"; exit 1; fi
	rm $(MODULE)/libcurl.tmp.mjs

# The stamp names the key, so switching back to an older cached module copies it too.
dist/wasm/.module-$(MODULE_KEY): $(MODULE)/libcurl.mjs | wasm/entry.mjs wasm/entry.d.mts
	@rm -rf dist/wasm && mkdir -p dist/wasm
	cp $(MODULE)/libcurl.mjs $(MODULE)/libcurl.wasm dist/wasm/
	cp wasm/entry.mjs dist/wasm/index.mjs
	cp wasm/entry.d.mts dist/wasm/index.d.mts
	scripts/collect-licenses.sh $(SRC) dist/LICENSES
	touch $@

module: dist/wasm/.module-$(MODULE_KEY)
