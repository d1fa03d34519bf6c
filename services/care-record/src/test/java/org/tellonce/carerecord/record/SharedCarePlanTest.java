package org.tellonce.carerecord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityComponent;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/** Contributions to the shared care plan: each activity keeps the organisation that contributed it. */
class SharedCarePlanTest {

  static CarePlanActivityComponent activity(String text) {
    CarePlanActivityComponent activity = new CarePlanActivityComponent();
    activity.getDetail().setDescription(text);
    return activity;
  }

  static CarePlan plan(CarePlanActivityComponent... activities) {
    CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE);
    for (CarePlanActivityComponent activity : activities) {
      plan.addActivity(activity);
    }
    return plan;
  }

  static List<String> contributors(CarePlan plan) {
    return plan.getActivity().stream().map(SharedCarePlan::contributor).toList();
  }

  @Test
  void aPlanOneOrganisationKeepsIsStoredAsSentAndForgedContributorsAreDropped() {
    CarePlanActivityComponent forged = activity("Weekly visit");
    forged.addExtension(SharedCarePlan.CONTRIBUTOR, References.organization("GPP01"));
    CarePlan plan = plan(activity("Medication review"), forged);
    SharedCarePlan.attribute(plan, null, "MHT01", "MHT01");
    assertThat(contributors(plan)).containsExactly(null, null);
    CarePlan unchanged = plan(activity("Medication review"));
    CarePlan again = unchanged.copy();
    SharedCarePlan.attribute(again, null, "MHT01", "MHT01");
    assertThat(again.equalsDeep(unchanged)).as("read back exactly as sent").isTrue();
  }

  @Test
  void anotherOrganisationAddsItsOwnAndKeepsTheRestAsTheyWere() {
    CarePlan first = plan(activity("Medication review"));
    SharedCarePlan.attribute(first, null, "MHT01", "MHT01");

    CarePlan second = first.copy();
    // the council sends the trust's activity back with a forged contributor, and adds its own
    second.getActivityFirstRep().addExtension(SharedCarePlan.CONTRIBUTOR, References.organization("LA001"));
    second.addActivity(activity("Home care, 10 hours a week"));
    SharedCarePlan.attribute(second, first, "LA001", "MHT01");
    assertThat(contributors(second)).containsExactly(null, "LA001");
    assertThat(second.getActivity().get(1).getId()).isNotBlank();

    CarePlan changed = second.copy();
    changed.getActivity().get(0).getDetail().setDescription("Stop the medication");
    assertThatThrownBy(() -> SharedCarePlan.attribute(changed, second, "LA001", "MHT01"))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("recorded by MHT01");
    CarePlan removed = second.copy();
    removed.getActivity().remove(0);
    assertThatThrownBy(() -> SharedCarePlan.attribute(removed, second, "LA001", "MHT01"))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("only MHT01 may change or remove it");

    // the trust may not change the council's, even by leaving out its stamp
    CarePlan councils = second.copy();
    councils.getActivity().get(1).getExtension().clear();
    councils.getActivity().get(1).getDetail().setDescription("No home care");
    assertThatThrownBy(() -> SharedCarePlan.attribute(councils, second, "MHT01", "MHT01"))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("contributed by LA001");
    CarePlan withoutCouncils = second.copy();
    withoutCouncils.getActivity().remove(1);
    assertThatThrownBy(() -> SharedCarePlan.attribute(withoutCouncils, second, "MHT01", "MHT01"))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("only LA001 may remove it");

    // each changes and removes its own as it likes; the council's stays the council's
    CarePlan own = second.copy();
    own.getActivity().get(0).getDetail().setDescription("Medication review in March");
    own.getActivity().get(1).getExtension().clear();
    SharedCarePlan.attribute(own, second, "MHT01", "MHT01");
    assertThat(contributors(own)).containsExactly(null, "LA001");
    CarePlan councilDropsItsOwn = second.copy();
    councilDropsItsOwn.getActivity().remove(1);
    SharedCarePlan.attribute(councilDropsItsOwn, second, "LA001", "MHT01");
    assertThat(contributors(councilDropsItsOwn)).containsExactly((String) null);
  }

  @Test
  void thePlanCarriesNoSensitivityLabels() {
    SharedCarePlan.requireNoSensitivityLabels(List.of());
    assertThatThrownBy(() -> SharedCarePlan.requireNoSensitivityLabels(List.of("PSY")))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("carries no sensitivity labels (PSY)");
  }
}
