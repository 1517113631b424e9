package dev.mcu.controlplane;
