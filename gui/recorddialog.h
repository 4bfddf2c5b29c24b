// Base of the add/edit dialogs: a form checked locally with tmail's value types, then
// sent to the daemon; the dialog closes only once the daemon accepted the change.
#pragma once

#include "managerconnection.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

#include <optional>

class QDialogButtonBox;
class QFormLayout;
class QLabel;

class RecordDialog : public QDialog
{
    Q_OBJECT
public:
    RecordDialog(ManagerConnection *connection, const QString &method, QWidget *parent = nullptr);

    // The daemon's answer to the last submission.
    const ManagerConnection::Reply &lastReply() const { return m_lastReply; }
    QString errorText() const;

protected:
    // Adds a labelled field, with room for its error below it; field is the protocol
    // parameter it fills (the daemon names it when it refuses the value).
    void addField(const QString &label, QWidget *widget, const QString &field = QString());
    // Checks the form with tmail's parsers (core/); on a problem shows it with
    // rejectField() and returns nothing.
    virtual std::optional<QJsonObject> collect() = 0;
    // Shows text next to culprit (or below the form without one) and focuses it.
    void showError(const QString &text, QWidget *culprit);
    std::optional<QJsonObject> rejectField(QWidget *culprit, const QString &text);
    // Opens with the focus on the first field that can be edited.
    void showEvent(QShowEvent *event) override;

private:
    void submit();

    ManagerConnection *m_connection;
    QString m_method;
    QFormLayout *m_form;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QHash<QString, QWidget *> m_fields;
    QHash<QWidget *, QLabel *> m_fieldErrors;
    QList<QWidget *> m_fieldOrder; // as added: the tab order, before OK and Cancel
    ManagerConnection::Reply m_lastReply;
};
