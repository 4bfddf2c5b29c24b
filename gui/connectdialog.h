// Where tmail-manager connects: this computer's local socket, or a remote tmail over TLS
// (host, port, administrator). Servers used before are offered again (never a password:
// it is asked each time). Also the trust-on-first-use question for a server's certificate.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(const QString &socketName, QWidget *parent = nullptr);

    // Fills the remote fields (--connect HOST:PORT --user NAME); the password field gets the focus.
    void setRemote(const QString &host, quint16 port, const QString &user);

    bool isRemote() const;
    QString socketName() const;
    QString host() const;
    quint16 port() const;
    QString user() const;
    QString password() const;

    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLabel *errorLabel() const { return m_error; }

    // Asks whether to trust server's certificate: on first contact (pinned empty) with its
    // fingerprint to compare with the daemon's log; when it changed, as a warning whose
    // default answer is to refuse. True when the user accepts it knowingly.
    static bool confirmCertificate(
        QWidget *parent, const QString &server, const QByteArray &fingerprint, const QByteArray &pinned);

    // "host:port" of --connect; false when it is not one.
    static bool parseServer(const QString &text, QString *host, quint16 *port);

    void accept() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateEnabled();
    void rememberServer() const;

    QRadioButton *m_local;
    QRadioButton *m_remote;
    QLineEdit *m_socket;
    QComboBox *m_saved;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_error;
};
