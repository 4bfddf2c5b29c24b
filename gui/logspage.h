// The daemon's live log: filter by level and text, pause, copy.
#pragma once

#include <QWidget>

class LogFilterModel;
class LogModel;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

class LogsPage : public QWidget
{
    Q_OBJECT
public:
    // model: kept by the main window so that the log survives a language switch.
    LogsPage(LogModel *model, QWidget *parent = nullptr);

    void copySelection();
    QTableView *view() const { return m_view; }
    LogFilterModel *filter() const { return m_filter; }
    QLineEdit *filterEdit() const { return m_text; }
    QComboBox *levelBox() const { return m_level; }
    QPushButton *pauseButton() const { return m_pause; }

private:
    LogModel *m_model;
    LogFilterModel *m_filter;
    QTableView *m_view;
    QComboBox *m_level;
    QLineEdit *m_text;
    QPushButton *m_pause;
};
