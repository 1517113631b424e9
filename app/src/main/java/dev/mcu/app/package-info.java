package dev.mcu.app;
