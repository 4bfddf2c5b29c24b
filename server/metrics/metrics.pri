# metrics: the counters of smtpd, the queue and deliverd, and the HTTP listener that
# serves them to Prometheus (TMAIL_METRICS_LISTEN).
HEADERS += \
    $$PWD/metrics.h
SOURCES += \
    $$PWD/metrics.cpp
