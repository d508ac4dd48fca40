#!/usr/bin/env bash
# Makes the certificates of a gateway and its pools with openssl, for a trial or a test (real deployments use
# their own CA or cert-manager; see docs/EXPOSURE.md). Two CAs, because they answer two questions:
#   edge-ca   signs gateway.crt, the certificate clients see (in production: a public or company CA)
#   mesh-ca   signs pool.crt (the pool's listener) and gateway-client.crt (what the gateway shows the pool);
#             the pool trusts only mesh-ca for client certificates, so only the gateway can reach it
#
#   make-certs.sh OUT_DIR [GATEWAY_NAME] [POOL_NAME]
#     GATEWAY_NAME  DNS name clients use for the gateway (default localhost; 127.0.0.1 is always added)
#     POOL_NAME     DNS name the gateway verifies on the pool (default pool.llm-pool.internal)
#
# Writes OUT_DIR/{edge-ca,mesh-ca,gateway,gateway-client,pool}.{crt,key}: EC P-256, valid 30 days.
set -euo pipefail
out="${1:?usage: make-certs.sh OUT_DIR [GATEWAY_NAME] [POOL_NAME]}"
gateway_name="${2:-localhost}"
pool_name="${3:-pool.llm-pool.internal}"
days=30
mkdir -p "$out"
cd "$out"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

ca() {
  key "$1"
  openssl req -x509 -new -key "$1.key" -sha256 -days "$days" -subj "/CN=llm-pool $1" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$1.crt" 2>/dev/null
}

# leaf NAME CA EXTENDED_KEY_USAGE SUBJECT_ALT_NAMES
leaf() {
  key "$1"
  openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n%s\n' \
    "$3" "${4:+subjectAltName=$4}" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -sha256 -days "$days" \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca edge-ca
ca mesh-ca
leaf gateway edge-ca serverAuth "DNS:$gateway_name,IP:127.0.0.1"
leaf pool mesh-ca serverAuth "DNS:$pool_name,IP:127.0.0.1"
leaf gateway-client mesh-ca clientAuth ""
rm -f ./*.srl
chmod 644 ./*.crt
echo "$out: edge-ca, mesh-ca, gateway, gateway-client, pool (.crt and .key)"
