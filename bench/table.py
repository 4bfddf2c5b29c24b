#!/usr/bin/env python3
"""Prints a bench/results/*.json summary as a Markdown table (for the README)."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else 'bench/results/latest.json'
with open(path) as f:
    report = json.load(f)


def fmt(value):
    if value is None:
        return '–'
    return f'{value:.3g}' if abs(value) < 100 else f'{value:,.0f}'


print('| metric | tmail | Postfix | tmail/Postfix |')
print('|---|---:|---:|---:|')
for row in report['summary'].values():
    print(f"| {row['label']} | {fmt(row.get('tmail'))} | {fmt(row.get('postfix'))} | {fmt(row.get('ratio'))} |")
machine = report['machine']
print()
print(f"{report['date']}, {report['parameters']['rounds']} rounds (medians), {machine.get('cores')} cores "
      f"{machine.get('cpu', '')}, {machine.get('mem_gib')} GiB, Debian {machine.get('debian', '?')}, "
      f"kernel {machine.get('kernel')}, Postfix {machine.get('postfix')}.")
