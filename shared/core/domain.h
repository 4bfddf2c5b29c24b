// A DNS domain name, validated and lower-cased once at the edge.
#pragma once

#include "core/expected.h"

#include <QString>

class Domain
{
public:
    Domain() = default;
    // Accepts LDH labels (and A-labels), 1-63 octets each, 253 in all; a single
    // trailing dot is dropped. Everything else (address literals, '%', '!', '@',
    // spaces, empty labels) is refused with a message.
    static Expected<Domain> parse(const QString &text);

    const QString &name() const { return m_name; }
    bool isEmpty() const { return m_name.isEmpty(); }
    bool operator==(const Domain &other) const { return m_name == other.m_name; }
    bool operator<(const Domain &other) const { return m_name < other.m_name; }

private:
    explicit Domain(QString name) : m_name(std::move(name)) { }
    QString m_name;
};
