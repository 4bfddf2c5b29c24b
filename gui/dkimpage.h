// DKIM signing keys (RFC 6376, RFC 8463): one row per domain and selector, the TXT records
// to publish for the selected key's domain, and what DNS serves for each selector. The
// daemon keeps the private keys; this page never receives them.
#pragma once

#include "tablepage.h"

#include <QHash>
#include <QJsonArray>

class QLabel;
class QPlainTextEdit;
class QPushButton;

class DkimPage : public TablePage
{
    Q_OBJECT
public:
    explicit DkimPage(ManagerConnection *connection, QWidget *parent = nullptr);
    void addKeys();
    void rotateKeys();
    void deleteKey();
    // Looks the selected domain's records up in DNS (dkim.check) and shows each selector's state.
    void checkDns();
    void copyRecords();

    // The records shown for copying, one zone-file line per key (as `tmail dkim dns`).
    QString recordsText() const;
    // The domain whose records are shown (empty when none is).
    QString recordsDomain() const { return m_recordsDomain; }
    QPlainTextEdit *recordsEdit() const { return m_records; }

signals:
    void recordsShown(const QString &domain);
    void dnsChecked(const QString &domain);

protected:
    void onListResult(const QJsonObject &result) override;

private:
    void showRows();
    void loadRecords();
    QString dnsStateText(const QJsonObject &row) const;

    QPlainTextEdit *m_records;
    QLabel *m_recordsLabel;
    QPushButton *m_copy;
    QJsonArray m_items;
    // domain → selector → the state dkim.check reported ("published", "missing", …).
    QHash<QString, QHash<QString, QString>> m_dnsStates;
    QString m_recordsDomain;
    QString m_selectAfterLoad; // the row id to select once the list shows it
};
