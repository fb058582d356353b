package org.scow.itests;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The platform on PostgreSQL (127.0.0.1:5432, user postgres, trust authentication). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresDistributionIT extends ProductionDatabaseSupport {
    @Configuration
    public Option[] config() {
        return new Option[] {platform(database("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
                "scow-jdbc-postgresql", "PostgreSQL JDBC Driver", "jdbc:postgresql://127.0.0.1:5432/" + DB,
                "postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)", "CREATE DATABASE " + DB))};
    }

    @Override
    protected String expectedProduct() {
        return "PostgreSQL";
    }
}
