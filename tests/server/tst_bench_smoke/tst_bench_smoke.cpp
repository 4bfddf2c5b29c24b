// bench/run.sh --smoke (50 messages, one round) against the real tmail binary and a
// private Postfix: the harness must finish and write a JSON holding both MTAs' figures,
// the STARTTLS scenarios included (bench/smtpload.c in, bench/tlssink.c out: a figure is
// there only when every message was relayed inside TLS).
#include "testpeers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

class TestBenchSmoke : public QObject
{
    Q_OBJECT

private slots:
    void smokeRunReportsBothMtas();
};

void TestBenchSmoke::smokeRunReportsBothMtas()
{
    const QStringList sbin = { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") };
    if (QStandardPaths::findExecutable(QStringLiteral("smtp-source"), sbin).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("postfix"), sbin).isEmpty())
        TMAIL_REQUIRE_PEER(false, "postfix (smtp-source, smtp-sink) is not installed");
    if (::geteuid() != 0)
        QSKIP("a private Postfix instance and smtp-sink -u postfix need root");
    const QString binary = QStringLiteral(TMAIL_BUILD_DIR "/server/tmail");
    QVERIFY2(QFile::exists(binary), qPrintable(binary));

    QTemporaryDir results;
    QVERIFY(results.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TMAIL_BENCH_BINARY"), binary);
    env.insert(QStringLiteral("TMAIL_BENCH_RESULTS"), results.path());
    QProcess run;
    run.setProcessEnvironment(env);
    run.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    run.start(QStringLiteral(TMAIL_SOURCE_DIR "/bench/run.sh"), { QStringLiteral("--smoke") });
    QVERIFY(run.waitForStarted(5000));
    if (!run.waitForFinished(280000))
    {
        run.kill();
        run.waitForFinished(5000);
        QFAIL(qPrintable(
            QStringLiteral("bench/run.sh --smoke did not end in 280 s:\n") + QString::fromLocal8Bit(run.readAll())));
    }
    const QString output = QString::fromLocal8Bit(run.readAll());
    QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0, qPrintable(output));
    qInfo("bench smoke run: %lld ms", timer.elapsed());

    const QStringList files = QDir(results.path()).entryList({ QStringLiteral("SMOKE-*.json") }, QDir::Files);
    QCOMPARE(files.size(), 1);
    QFile file(results.filePath(files.first()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject summary = report.value(QStringLiteral("summary")).toObject();
    for (const char *metric : { "accept_single.accept_mps", "accept_single.relay_mps", "accept_reuse.accept_mps",
             "accept_single.cpu_s_per_1000", "tls.tls_sessions_per_s", "tls.client_cpu_ms_per_session",
             "tlsmail.accept_mps", "tlsmail.relay_mps", "tlsmail.cpu_s_per_1000", "tlsmail_large.accept_mps",
             "tlsmail_large.relay_mps", "queue_large.drain_mps" })
    {
        const QJsonObject row = summary.value(QLatin1String(metric)).toObject();
        for (const char *mta : { "tmail", "postfix" })
            QVERIFY2(row.value(QLatin1String(mta)).toDouble() > 0,
                qPrintable(
                    QStringLiteral("%1 of %2 missing:\n%3").arg(QLatin1String(metric), QLatin1String(mta), output)));
        QVERIFY2(row.value(QStringLiteral("ratio")).toDouble() > 0, metric);
    }
    QVERIFY(report.value(QStringLiteral("machine")).toObject().contains(QStringLiteral("cores")));
    QVERIFY(output.contains(QStringLiteral("| metric")));
}

QTEST_GUILESS_MAIN(TestBenchSmoke)
#include "tst_bench_smoke.moc"
