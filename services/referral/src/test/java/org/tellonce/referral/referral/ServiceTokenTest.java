package org.tellonce.referral.referral;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.tellonce.testing.ServiceTokenContract;
import org.tellonce.testing.TellonceInfra;

/** Its token for the consent and identity services is renewed before it expires (ServiceTokenContract). */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class ServiceTokenTest extends ServiceTokenContract {}
