package org.tellonce.identity.careteam;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CareTeamRepository implements PanacheRepositoryBase<CareTeamEntity, String> {}
