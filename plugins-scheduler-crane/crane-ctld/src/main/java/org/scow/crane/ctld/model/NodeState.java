package org.scow.crane.ctld.model;

/** Displayed node state: resource state (IDLE/MIX/ALLOC) unless an administrative DOWN or DRAIN overrides it. */
public enum NodeState { IDLE, MIX, ALLOC, DOWN, DRAIN }
