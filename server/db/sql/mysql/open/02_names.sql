SET NAMES utf8mb4 COLLATE utf8mb4_bin
