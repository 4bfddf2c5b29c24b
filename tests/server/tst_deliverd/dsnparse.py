#!/usr/bin/python3
"""Parses one RFC 3464 delivery status notification with Python's email package and
prints what tst_deliverd checks field by field, as JSON: the top headers, the parts'
content types, the per-message and per-recipient fields of the message/delivery-status
part, and what the third part returns of the original message."""
import email
import email.policy
import json
import sys


def fields(block):
    return {name: str(value) for name, value in block.items()}


def main():
    with open(sys.argv[1], "rb") as source:
        message = email.message_from_binary_file(source, policy=email.policy.default)
    report = {
        "from": str(message["From"]),
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "auto_submitted": str(message["Auto-Submitted"]),
        "content_type": message.get_content_type(),
        "report_type": message.get_param("report-type"),
        "defects": [type(defect).__name__ for defect in message.defects],
        "parts": [],
    }
    parts = message.get_payload() if message.is_multipart() else []
    for part in parts:
        report["parts"].append(part.get_content_type())
        report["defects"] += [type(defect).__name__ for defect in part.defects]
    if len(parts) >= 1:
        report["text"] = parts[0].get_content()
    if len(parts) >= 2 and parts[1].get_content_type() == "message/delivery-status":
        # The payload is a list of header blocks: the per-message one, then one per recipient.
        blocks = parts[1].get_payload()
        report["per_message"] = fields(blocks[0])
        report["per_recipient"] = [fields(block) for block in blocks[1:]]
    if len(parts) >= 3:
        returned = parts[2]
        if returned.get_content_type() == "message/rfc822":
            inner = returned.get_payload()[0]
            report["returned_subject"] = str(inner["Subject"])
            report["returned_body"] = inner.get_payload()
        else:
            report["returned_text"] = returned.get_payload()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
