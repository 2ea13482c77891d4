# Debian packages, built in the build directory with `cpack -G DEB`:
#   chathost      the host, its plugins, dashboard and example configs under /usr, the config
#                 /etc/chathost/chathost.yaml and the secrets file /etc/default/chathost
#                 (conffiles), the systemd unit and maintainer scripts (system user chathost,
#                 data in /var/lib/chathost);
#   chathost-dev  the plugin SDK (install component `sdk`): headers and CMake package.
# The package's own files come from configs/packaging/. Included last from the top-level
# CMakeLists.txt: CPack must see every install() rule.

set(CHATHOST_PACKAGE_MAINTAINER "chathost maintainers <maintainers@chathost.example>"
  CACHE STRING "Maintainer field (Name <email>) of the Debian packages")

set(_packaging_dir ${CMAKE_SOURCE_DIR}/configs/packaging)
# The host, plugins, dashboard and example configs are installed without a component.
set(_runtime_component Unspecified)
set(_deb_release 1)
set(_deb_version ${PROJECT_VERSION}-${_deb_release})

# Debian wants the changelog and man pages gzipped; `gzip -n` leaves the file's name and time
# out, so the same sources give the same bytes.
find_program(CHATHOST_GZIP gzip REQUIRED)
function(_chathost_gzip file)
  execute_process(COMMAND ${CHATHOST_GZIP} -9nf ${file} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "gzip ${file} failed: ${result}")
  endif()
endfunction()

string(TIMESTAMP CHATHOST_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(CHATHOST_DEB_VERSION ${_deb_version})
set(_changelog ${CMAKE_BINARY_DIR}/packaging/changelog.Debian)
configure_file(${_packaging_dir}/changelog.Debian.in ${_changelog} @ONLY)
_chathost_gzip(${_changelog})
set(_manpage ${CMAKE_BINARY_DIR}/packaging/chathost.1)
configure_file(${_packaging_dir}/chathost.1 ${_manpage} COPYONLY)
_chathost_gzip(${_manpage})

# Files only the package ships (EXCLUDE_FROM_ALL): `cmake --install` into a prefix stays as it
# was, with no /etc or unit files. Absolute destinations are absolute in the package too.
install(FILES ${_packaging_dir}/chathost.yaml DESTINATION /etc/chathost
  COMPONENT ${_runtime_component} EXCLUDE_FROM_ALL)
install(FILES ${_packaging_dir}/default DESTINATION /etc/default RENAME chathost
  COMPONENT ${_runtime_component} EXCLUDE_FROM_ALL)
# /lib, not /usr/lib: Debian 12 keeps units there until its /usr merge is complete.
install(FILES ${_packaging_dir}/chathost.service DESTINATION /lib/systemd/system
  COMPONENT ${_runtime_component} EXCLUDE_FROM_ALL)
install(FILES ${_packaging_dir}/copyright ${_changelog}.gz
  ${CMAKE_SOURCE_DIR}/docs/configuration.md
  DESTINATION share/doc/chathost COMPONENT ${_runtime_component} EXCLUDE_FROM_ALL)
install(FILES ${_manpage}.gz DESTINATION share/man/man1
  COMPONENT ${_runtime_component} EXCLUDE_FROM_ALL)
install(FILES ${_packaging_dir}/copyright ${_changelog}.gz
  DESTINATION share/doc/chathost-dev COMPONENT sdk EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME chathost)
set(CPACK_PACKAGE_VENDOR chathost)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${CHATHOST_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${_runtime_component} sdk)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # NAME_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${_deb_release})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CHATHOST_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # scripts 0755, the rest 0644

set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME chathost)
# Library packages computed with dpkg-shlibdeps, plus what the maintainer scripts run.
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_DEPENDS adduser)
# Lines under 80 characters, as lintian wants them.
set(CPACK_DEBIAN_UNSPECIFIED_DESCRIPTION "chat-agent server for messaging channels
chathost runs chat agents (rules, OpenAI-compatible or HTTP endpoints)
and connects them to messaging channels through plugins; the Instagram
Direct Messages and Facebook Messenger plugins and a web dashboard are
included. Conversations are kept in SQLite or PostgreSQL.

The package runs it as the systemd service chathost (user chathost,
data in /var/lib/chathost, configuration in /etc/chathost/chathost.yaml,
secrets in /etc/default/chathost), listening on 127.0.0.1:8080.")
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_CONTROL_EXTRA
  ${_packaging_dir}/conffiles ${_packaging_dir}/postinst ${_packaging_dir}/prerm
  ${_packaging_dir}/postrm)

set(CPACK_DEBIAN_SDK_PACKAGE_NAME chathost-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)  # headers and CMake files only
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_SUGGESTS "chathost, cmake, libgmock-dev")
set(CPACK_DEBIAN_SDK_DESCRIPTION "plugin SDK for the chathost chat-agent server
Headers and a CMake package (find_package(chathost-sdk)) to build
channel plugins for chathost outside its source tree, with fakes and
mocks of every SDK interface for the plugins' unit tests.")

include(CPack)
