package org.scow.crane.ctld.account;

/** Administrative rights: NONE (own jobs only), OPERATOR (accounts/users/QoS, nodes), ADMIN (everything). */
public enum AdminLevel { NONE, OPERATOR, ADMIN }
