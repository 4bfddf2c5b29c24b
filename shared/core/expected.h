// A value or the reason there is none: how errors a user can cause travel in tmail.
// Every failure carries an ErrorKind, which callers branch on (exit status, manager error
// code, SMTP reply), and a message for people, which nobody parses.
#pragma once

#include <optional>
#include <utility>

#include <QString>

class Status;

enum class ErrorKind
{
    InvalidInput, // the caller gave a bad value: nothing was changed
    NotFound, // the record, message or file named does not exist
    AlreadyExists, // a record with that key is already there
    Unavailable, // a service tmail depends on (database, DNS, disk) failed; may work later
    PermissionDenied, // the caller may not do this
    Internal, // a bug or an unexpected state
};

template <typename T> class Expected
{
public:
    Expected(T value) : m_value(std::move(value)) { }

    static Expected failure(ErrorKind kind, QString error)
    {
        Expected result;
        result.m_kind = kind;
        result.m_error = std::move(error);
        return result;
    }
    // Carries another result's failure on, kind and message.
    template <typename U> static Expected failure(const Expected<U> &failed)
    {
        return failure(failed.kind(), failed.error());
    }
    static Expected failure(const Status &failed);

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    ErrorKind kind() const { return m_kind; }
    const QString &error() const { return m_error; }

private:
    Expected() = default;
    std::optional<T> m_value;
    ErrorKind m_kind = ErrorKind::Internal;
    QString m_error;
};

// For operations that return nothing but can fail.
class Status
{
public:
    Status() = default;
    static Status failure(ErrorKind kind, QString error)
    {
        Status status;
        status.m_failed = true;
        status.m_kind = kind;
        status.m_error = std::move(error);
        return status;
    }
    // Carries another result's failure on, kind and message.
    template <typename T> static Status failure(const Expected<T> &failed)
    {
        return failure(failed.kind(), failed.error());
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    ErrorKind kind() const { return m_kind; }
    const QString &error() const { return m_error; }

private:
    bool m_failed = false;
    ErrorKind m_kind = ErrorKind::Internal;
    QString m_error;
};

template <typename T> Expected<T> Expected<T>::failure(const Status &failed)
{
    return failure(failed.kind(), failed.error());
}
