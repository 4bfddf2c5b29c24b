// Shows what the manager will be: a window with the daemon's pages to come.
#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("tmail manager"));
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quitAction->setShortcut(QKeySequence::Quit);
    auto *label = new QLabel(tr("Not connected to a tmail daemon."), this);
    label->setAlignment(Qt::AlignCenter);
    label->setAccessibleName(tr("Connection status"));
    setCentralWidget(label);
    resize(800, 500);
}
