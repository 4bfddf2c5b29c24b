// See recorddialog.h.
#include "recorddialog.h"

#include <QAbstractButton>
#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

RecordDialog::RecordDialog(ManagerConnection *connection, const QString &method, QWidget *parent)
    : QDialog(parent)
    , m_connection(connection)
    , m_method(method)
    , m_form(new QFormLayout)
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c01c28;"));
    m_error->setAccessibleDescription(tr("Error message"));
    m_error->hide();
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RecordDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(420);
}

QString RecordDialog::errorText() const
{
    if (!m_error->text().isEmpty())
        return m_error->text();
    for (const QLabel *label : m_fieldErrors)
    {
        if (!label->text().isEmpty())
            return label->text();
    }
    return QString();
}

void RecordDialog::addField(const QString &label, QWidget *widget, const QString &field)
{
    // A field is named by its label; a check box also by what it shows, so that voice
    // control reaches it by either.
    const QString name = QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')).trimmed();
    if (auto *button = qobject_cast<QAbstractButton *>(widget))
        widget->setAccessibleName(QString(label).remove(QLatin1Char('&')) + QLatin1Char(' ')
            + QString(button->text()).remove(QLatin1Char('&')));
    else
        widget->setAccessibleName(name);
    m_form->addRow(label, widget);
    auto *error = new QLabel(this);
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #c01c28;"));
    error->setAccessibleName(tr("%1: error").arg(name));
    error->hide();
    m_form->addRow(QString(), error);
    m_fieldErrors.insert(widget, error);
    if (!field.isEmpty())
        m_fields.insert(field, widget);
    m_fieldOrder.append(widget);
    // Widgets enter the focus chain in creation order, and the buttons exist before the
    // subclass adds its fields. Re-parenting the button box puts it back at the end of the
    // chain, so Tab goes through the fields, then OK, then Cancel (Qt 6.4's setTabOrder can
    // close the chain on itself, so it is not used).
    auto *box = qobject_cast<QBoxLayout *>(layout());
    box->removeWidget(m_buttons);
    m_buttons->setParent(nullptr);
    m_buttons->setParent(this);
    box->addWidget(m_buttons);
    m_buttons->show();
}

void RecordDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    QWidget *focused = focusWidget();
    if (focused && m_fieldOrder.contains(focused))
        return;
    for (QWidget *field : std::as_const(m_fieldOrder))
    {
        const auto *edit = qobject_cast<QLineEdit *>(field);
        if (field->isEnabled() && field->focusPolicy() != Qt::NoFocus && !(edit && edit->isReadOnly()))
        {
            field->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

std::optional<QJsonObject> RecordDialog::rejectField(QWidget *culprit, const QString &text)
{
    showError(text, culprit);
    return std::nullopt;
}

void RecordDialog::showError(const QString &text, QWidget *culprit)
{
    for (QLabel *label : std::as_const(m_fieldErrors))
    {
        label->clear();
        label->hide();
    }
    QLabel *target = m_fieldErrors.value(culprit, m_error);
    m_error->clear();
    m_error->hide();
    target->setText(text);
    target->setVisible(!text.isEmpty());
    if (culprit)
    {
        culprit->setFocus();
        if (auto *edit = qobject_cast<QLineEdit *>(culprit))
            edit->selectAll();
    }
}

void RecordDialog::submit()
{
    const std::optional<QJsonObject> params = collect();
    if (!params)
        return;
    showError(QString(), nullptr);
    m_buttons->setEnabled(false);
    m_connection->request(m_method, *params, this, [this](const ManagerConnection::Reply &reply) {
        m_lastReply = reply;
        m_buttons->setEnabled(true);
        if (reply.ok)
        {
            accept();
            return;
        }
        showError(ManagerConnection::describeError(reply), m_fields.value(reply.field));
    });
}
