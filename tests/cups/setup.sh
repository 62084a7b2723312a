#!/usr/bin/env bash
# A real printer for the test run: CUPS with a PDF virtual printer, `shopfloor-pdf`.
#
# Installs Debian's cups, cups-pdf, a Chinese monospace font and pdftotext when they are
# missing, starts cupsd when it is not running and adds the queue once. Every job printed
# there lands in /var/spool/cups-pdf/$USER/ as a PDF with its job id in the name
# (…-job_<id>.pdf), where the print test reads it back. A second queue,
# `shopfloor-stopped`, has stopped as CUPS stops a printer whose job failed. Quick when
# all is in place. Without root and with something missing it says what and exits 1
# (the tests then skip locally; in CI they fail).
set -euo pipefail

QUEUE=shopfloor-pdf
STOPPED=shopfloor-stopped
PACKAGES=(cups cups-client cups-bsd printer-driver-cups-pdf fonts-wqy-zenhei poppler-utils)
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
CONF=/etc/cups/cups-pdf.conf

say() { echo "cups-setup: $*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        say "missing ${missing[*]}; install them as root: apt-get install ${missing[*]}"
        exit 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# cups-pdf: output where the test looks, named by job id so a job's file is found exactly
if [[ -w $CONF ]]; then
    grep -q '^Out /var/spool/cups-pdf/${USER}$' "$CONF" \
        || sed -i 's|^#\?Out .*|Out /var/spool/cups-pdf/${USER}|' "$CONF"
    grep -q '^Label 1$' "$CONF" || sed -i 's|^#\?Label .*|Label 1|' "$CONF"
fi

if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    if [[ $(id -u) -ne 0 ]]; then
        say "the CUPS scheduler is not running; start it as root (cupsd)"
        exit 1
    fi
    say "starting cupsd"
    cupsd
    for _ in $(seq 50); do
        lpstat -r 2>/dev/null | grep -q "is running" && break
        sleep 0.2
    done
    lpstat -r 2>/dev/null | grep -q "is running" || { say "cupsd did not start"; exit 1; }
fi

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
    say "adding the queue $QUEUE (CUPS-PDF)"
    lpadmin -p "$QUEUE" -E -v cups-pdf:/ -P "$PPD" -D "Shopfloor test printer (PDF)" 2>&1 \
        | grep -v "drivers are deprecated" >&2 || true
    lpstat -p "$QUEUE" >/dev/null 2>&1 || { say "could not add $QUEUE"; exit 1; }
fi
# a queue left stopped by an earlier failed job would hold every new one
cupsenable "$QUEUE" 2>/dev/null || true
cupsaccept "$QUEUE" 2>/dev/null || true
if lpstat -p "$QUEUE" | grep -q disabled; then say "$QUEUE is disabled: $(lpstat -p "$QUEUE")"; exit 1; fi

# a printer that has stopped, as CUPS stops one whose job failed: jobs wait in its queue
if ! lpstat -p "$STOPPED" >/dev/null 2>&1; then
    lpadmin -p "$STOPPED" -E -v cups-pdf:/ -P "$PPD" -D "Shopfloor test printer, stopped" 2>&1 \
        | grep -v "drivers are deprecated" >&2 || true
fi
cupsaccept "$STOPPED" 2>/dev/null || true
cupsdisable -r "paper jam (a test printer)" "$STOPPED" 2>/dev/null || true
cancel -a "$STOPPED" 2>/dev/null || true
