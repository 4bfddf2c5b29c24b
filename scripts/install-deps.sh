#!/usr/bin/env bash
# Installs the Debian 12 packages tmail needs that are missing.
#   install-deps.sh build   what ./run.sh needs: compilers, Qt 6, c-ares, OpenSSL, and swaks for
#                           the README's quick start
#   install-deps.sh test    the above plus the real peers the tests use
set -euo pipefail

build_packages=(build-essential pkg-config qt6-base-dev qt6-base-private-dev qmake6 qt6-l10n-tools qt6-tools-dev
    libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql libc-ares-dev libssl-dev openssl ccache swaks)
test_packages=(postfix swaks libnet-ssleay-perl nmap prometheus msmtp curl python3 dnsmasq-base postgresql mariadb-server zip unzip procps patchelf systemd util-linux
    clang clang-format libclang-rt-14-dev nsd unbound ldnsutils bind9-dnsutils python3-dkim opendkim opendkim-tools
    xvfb xauth dbus-x11 at-spi2-core python3-pyatspi dovecot-core dovecot-lmtpd)

wanted=("${build_packages[@]}")
if [ "${1:-build}" = test ]; then
    wanted+=("${test_packages[@]}")
fi

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
# Postfix would otherwise ask which configuration to use.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
