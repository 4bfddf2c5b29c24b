// Base of the add/edit dialogs: a form checked locally with tmail's value types, then
// sent to the daemon; the dialog closes only once the daemon accepted the change.
#pragma once

#include "managerconnection.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

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
    // Adds a labelled field; field is the protocol parameter it fills (for error focus).
    void addField(const QString &label, QWidget *widget, const QString &field = QString());
    // Checks the form; on a problem returns an error and sets *culprit to the field.
    virtual QJsonObject collect(QString *error, QWidget **culprit) const = 0;
    void showError(const QString &text, QWidget *culprit);
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
    QList<QWidget *> m_fieldOrder; // as added: the tab order, before OK and Cancel
    ManagerConnection::Reply m_lastReply;
};
