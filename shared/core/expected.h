// A value or the reason there is none: how errors a user can cause travel in tmail.
#pragma once

#include <optional>
#include <utility>

#include <QString>

template<typename T>
class Expected
{
public:
    Expected(T value)
        : m_value(std::move(value))
    {
    }

    static Expected failure(QString error)
    {
        Expected result;
        result.m_error = std::move(error);
        return result;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    const QString &error() const { return m_error; }

private:
    Expected() = default;
    std::optional<T> m_value;
    QString m_error;
};

// For operations that return nothing but can fail.
class Status
{
public:
    Status() = default;
    static Status failure(QString error)
    {
        Status status;
        status.m_failed = true;
        status.m_error = std::move(error);
        return status;
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    bool m_failed = false;
    QString m_error;
};
