# metrics: the counters of smtpd, the queue and deliverd, and the HTTP listener that
# serves them to Prometheus (TMAIL_METRICS_LISTEN).
HEADERS += \
    $$PWD/metrics.h \
    $$PWD/metricshistory.h \
    $$PWD/metricslistener.h \
    $$PWD/metricsserver.h
SOURCES += \
    $$PWD/metrics.cpp \
    $$PWD/metricshistory.cpp \
    $$PWD/metricslistener.cpp \
    $$PWD/metricsserver.cpp
