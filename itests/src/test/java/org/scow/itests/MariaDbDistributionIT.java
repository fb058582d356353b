package org.scow.itests;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The platform on MariaDB (127.0.0.1:3306, root without password), presented as MySQL as the README says. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MariaDbDistributionIT extends ProductionDatabaseSupport {
    @Configuration
    public Option[] config() {
        return new Option[] {platform(database("jdbc:mariadb://127.0.0.1:3306/?user=root", "scow-jdbc-mariadb",
                "mariadb", "jdbc:mariadb://127.0.0.1:3306/" + DB + "?useMysqlMetadata=true", "root",
                "DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB))};
    }

    @Override
    protected String expectedProduct() {
        return "MySQL";
    }
}
