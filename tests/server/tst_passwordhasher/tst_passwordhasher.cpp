// PasswordHasher: PBKDF2 hashes verify, differ by salt, refuse what is wrong.
#include "db/passwordhasher.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private slots:
    void hashHasTheDocumentedFormat()
    {
        const QString stored = PasswordHasher::hash(QStringLiteral("secret"));
        static const QRegularExpression format(
            QStringLiteral("^\\$pbkdf2-sha256\\$(\\d+)\\$([A-Za-z0-9+/=]{24})\\$([A-Za-z0-9+/=]{44})$"));
        const QRegularExpressionMatch match = format.match(stored);
        QVERIFY2(match.hasMatch(), qPrintable(stored));
        QVERIFY(match.captured(1).toInt() >= 50000);
        QVERIFY(!stored.contains(QStringLiteral("secret")));
    }

    void verifiesTheRightPassword()
    {
        const QString password = QStringLiteral("x'); DROP TABLE users;-- é€");
        QVERIFY(PasswordHasher::verify(password, PasswordHasher::hash(password)));
    }

    void rejectsAWrongPassword()
    {
        const QString stored = PasswordHasher::hash(QStringLiteral("secret"));
        QVERIFY(!PasswordHasher::verify(QStringLiteral("Secret"), stored));
        QVERIFY(!PasswordHasher::verify(QStringLiteral("secret "), stored));
        QVERIFY(!PasswordHasher::verify(QString(), stored));
    }

    void saltsDiffer()
    {
        const QString a = PasswordHasher::hash(QStringLiteral("same"));
        const QString b = PasswordHasher::hash(QStringLiteral("same"));
        QVERIFY(a != b);
        QVERIFY(a.section(QLatin1Char('$'), 3, 3) != b.section(QLatin1Char('$'), 3, 3));
    }

    void rejectsMalformedStoredHashes_data()
    {
        QTest::addColumn<QString>("stored");
        const QString good = PasswordHasher::hash(QStringLiteral("secret"));
        const QStringList parts = good.split(QLatin1Char('$')); // "", "pbkdf2-sha256", iter, salt, hash
        QTest::newRow("empty") << QString();
        QTest::newRow("clear text") << QStringLiteral("secret");
        QTest::newRow("other scheme") << QString(good).replace(QStringLiteral("sha256"), QStringLiteral("sha1"));
        QTest::newRow("missing hash") << parts.mid(0, 4).join(QLatin1Char('$'));
        QTest::newRow("extra field") << good + QStringLiteral("$x");
        QTest::newRow("iterations not a number")
            << QStringList { parts[0], parts[1], QStringLiteral("lots"), parts[3], parts[4] }.join(QLatin1Char('$'));
        QTest::newRow("iterations too low")
            << QStringList { parts[0], parts[1], QStringLiteral("1"), parts[3], parts[4] }.join(QLatin1Char('$'));
        QTest::newRow("bad base64 salt")
            << QStringList { parts[0], parts[1], parts[2], QStringLiteral("!!!!"), parts[4] }.join(QLatin1Char('$'));
        QTest::newRow("short hash")
            << QStringList { parts[0], parts[1], parts[2], parts[3], QStringLiteral("AAAA") }.join(QLatin1Char('$'));
        QTest::newRow("other iterations")
            << QStringList { parts[0], parts[1], QString::number(parts[2].toInt() + 1), parts[3], parts[4] }.join(
                   QLatin1Char('$'));
    }

    void rejectsMalformedStoredHashes()
    {
        QFETCH(QString, stored);
        QVERIFY(!PasswordHasher::verify(QStringLiteral("secret"), stored));
    }

    void verifyIsSlowButNotTooSlow()
    {
        const QString stored = PasswordHasher::hash(QStringLiteral("secret"));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(PasswordHasher::verify(QStringLiteral("secret"), stored));
        const qint64 elapsed = timer.elapsed();
        qInfo("one verify took %lld ms", elapsed);
        QVERIFY2(elapsed >= 5, "verify is too fast to slow down guessing");
        QVERIFY2(elapsed <= 1000, "verify is too slow for SMTP AUTH");
    }
};

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
